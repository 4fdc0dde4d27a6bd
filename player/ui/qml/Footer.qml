// The strip along the bottom: where this screen is and what the time is there.
import QtQuick

Rectangle {
    id: footer

    required property Theme theme
    property string locationName: ""
    property string clockText: ""

    color: theme.footer

    Rectangle {
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: Math.max(2, Math.round(4 * footer.theme.unit))
        color: footer.theme.accent
    }

    Text {
        objectName: "footerLocation"
        anchors {
            left: parent.left
            right: clock.left
            leftMargin: footer.theme.marginX
            rightMargin: footer.theme.gap
            verticalCenter: parent.verticalCenter
        }
        text: footer.locationName
        color: footer.theme.text
        font.family: footer.theme.fontFamily
        font.pixelSize: footer.theme.footerTextSize
        elide: Text.ElideRight
        textFormat: Text.PlainText
    }

    Text {
        id: clock
        objectName: "footerClock"
        anchors {
            right: parent.right
            rightMargin: footer.theme.marginX
            verticalCenter: parent.verticalCenter
        }
        text: footer.clockText
        color: footer.theme.text
        font.family: footer.theme.fontFamily
        font.pixelSize: Math.round(52 * footer.theme.unit)
        font.bold: true
        font.features: { "tnum": 1 }
        textFormat: Text.PlainText
    }
}
