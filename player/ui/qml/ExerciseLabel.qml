// "ÖVNING / EXERCISE": a white band with dark capitals, so an exercise is never taken for real.
import QtQuick

Rectangle {
    id: label

    required property Theme theme
    property string text: ""
    property real textSize: Math.round(60 * theme.unit)

    visible: text !== ""
    color: "#ffffff"
    implicitHeight: visible ? Math.round(textSize * 1.6) : 0

    Text {
        objectName: "exerciseLabel"
        anchors.fill: parent
        anchors.leftMargin: Math.round(24 * label.theme.unit)
        anchors.rightMargin: Math.round(24 * label.theme.unit)
        text: label.text
        color: label.theme.darkInk
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        font.family: label.theme.fontFamily
        font.pixelSize: label.textSize
        font.bold: true
        font.letterSpacing: Math.round(label.textSize * 0.12)
        fontSizeMode: Text.HorizontalFit
        minimumPixelSize: Math.round(label.textSize * 0.5)
        elide: Text.ElideRight
        textFormat: Text.PlainText
    }
}
