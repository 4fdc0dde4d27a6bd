// A lesser warning as a band over the lower part of the slides, which go on above it: the
// sign, the headline and a short description, shrunk or shortened to fit, never cut off.
import QtQuick

Rectangle {
    id: banner

    required property Theme theme
    // The `player.alert_views.AlertView` shown; kept while the banner fades out.
    property var view: null

    readonly property color ink: view !== null ? theme.alertInk(view.severity, view.kind)
                                               : theme.text
    readonly property real padding: Math.round(30 * theme.unit)

    color: view !== null ? theme.alertColour(view.severity, view.kind) : theme.background

    // A darker edge sets the band off from the slide above it.
    Rectangle {
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: Math.max(3, Math.round(8 * banner.theme.unit))
        color: banner.ink
        opacity: 0.35
    }

    AlertSign {
        id: sign
        x: banner.theme.marginX
        anchors.verticalCenter: parent.verticalCenter
        width: Math.round(120 * banner.theme.unit)
        height: width
        theme: banner.theme
        ink: banner.ink
    }

    ExerciseLabel {
        id: exercise
        x: words.x
        y: banner.padding
        width: words.width
        theme: banner.theme
        text: banner.view !== null ? banner.view.exerciseLabel : ""
        textSize: Math.round(36 * banner.theme.unit)
    }

    AlertLines {
        id: words
        objectName: "alertBannerWords"
        x: sign.x + sign.width + Math.round(40 * banner.theme.unit)
        y: banner.padding + (exercise.visible ? exercise.height + banner.padding / 2 : 0)
        width: banner.width - x - banner.theme.marginX
        room: banner.height - y - banner.padding
        theme: banner.theme
        texts: banner.view !== null ? banner.view.texts : []
        ink: banner.ink
        withInstruction: false
        headlineSize: Math.round(66 * banner.theme.unit)
        bodySize: Math.round(46 * banner.theme.unit)
    }
}
