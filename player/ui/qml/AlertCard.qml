// A grave warning (or the all-clear) over the whole screen: the severity's colour edge to edge,
// the sign, the words in the screen's languages, and who sent it when.
import QtQuick

Rectangle {
    id: card

    required property Theme theme
    // The `player.alert_views.AlertView` shown; kept while the card fades out.
    property var view: null

    readonly property bool allClear: view !== null && view.kind === "all_clear"
    readonly property color ink: view !== null ? theme.alertInk(view.severity, view.kind)
                                               : theme.text
    readonly property real signSize: Math.round((theme.portrait ? 150 : 180) * theme.unit)
    readonly property real gap: Math.round(48 * theme.unit)
    // Short words sit a little above the middle of the free space, as on a poster.
    readonly property real contentTop: exercise.height + theme.marginY
    // Where the words begin when they fill their room.
    readonly property real wordsTop: contentTop + (theme.portrait ? signSize + gap : 0)
    readonly property real freeSpace: words.room - words.usedHeight
    readonly property real contentShift: words.fitted ? Math.round(Math.max(0, freeSpace) * 0.35) : 0

    color: view !== null ? theme.alertColour(view.severity, view.kind) : theme.background

    ExerciseLabel {
        id: exercise
        anchors { left: parent.left; right: parent.right; top: parent.top }
        theme: card.theme
        text: card.view !== null ? card.view.exerciseLabel : ""
        textSize: Math.round(64 * card.theme.unit)
    }

    AlertSign {
        id: sign
        x: card.theme.marginX
        y: card.contentTop + card.contentShift
        width: card.signSize
        height: card.signSize
        theme: card.theme
        ink: card.ink
        allClear: card.allClear
    }

    AlertLines {
        id: words
        objectName: "alertCardWords"
        x: card.theme.portrait ? card.theme.marginX : sign.x + sign.width + card.gap
        y: card.wordsTop + card.contentShift
        width: card.width - x - card.theme.marginX
        room: sentBy.y - card.gap - card.wordsTop
        theme: card.theme
        texts: card.view !== null ? card.view.texts : []
        ink: card.ink
        headlineSize: Math.round(100 * card.theme.unit)
        bodySize: Math.round(54 * card.theme.unit)
    }

    Rectangle {
        anchors { left: sentBy.left; right: sentBy.right; bottom: sentBy.top }
        anchors.bottomMargin: Math.round(20 * card.theme.unit)
        height: Math.max(2, Math.round(3 * card.theme.unit))
        color: card.ink
        opacity: 0.5
    }

    Text {
        id: sentBy
        objectName: "alertSentBy"
        x: card.theme.marginX
        y: card.height - card.theme.marginY * 0.8 - height
        width: card.width - 2 * card.theme.marginX
        text: card.view !== null ? card.view.sender + "  \u00b7  " + card.view.sentLine : ""
        color: card.ink
        font.family: card.theme.fontFamily
        font.pixelSize: Math.round(42 * card.theme.unit)
        elide: Text.ElideRight
        textFormat: Text.PlainText
    }
}
