// The sign before an alert's words: "!" in a ring for a warning, a tick for the all-clear.
import QtQuick

Item {
    id: sign

    required property Theme theme
    property bool allClear: false
    property color ink: theme.text

    Rectangle {
        anchors.fill: parent
        radius: width / 2
        color: "transparent"
        border.color: sign.ink
        border.width: Math.max(3, Math.round(sign.width * 0.08))
    }

    Text {
        anchors.centerIn: parent
        visible: !sign.allClear
        text: "!"
        color: sign.ink
        font.family: sign.theme.fontFamily
        font.pixelSize: Math.round(sign.height * 0.7)
        font.bold: true
        textFormat: Text.PlainText
    }

    // A tick of two strokes: no font is needed to have the glyph.
    Item {
        visible: sign.allClear
        anchors.fill: parent
        readonly property real stroke: Math.max(3, Math.round(sign.width * 0.09))

        Rectangle {
            x: sign.width * 0.24
            y: sign.height * 0.5
            width: sign.width * 0.22
            height: parent.stroke
            radius: height / 2
            color: sign.ink
            rotation: 45
            transformOrigin: Item.Left
        }

        Rectangle {
            x: sign.width * 0.38
            y: sign.height * 0.66
            width: sign.width * 0.42
            height: parent.stroke
            radius: height / 2
            color: sign.ink
            rotation: -50
            transformOrigin: Item.Left
        }
    }
}
