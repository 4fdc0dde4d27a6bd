// The card of a screen being paired: the code to type into the admin, big enough to read
// from across the room, the server it waits for, and the same words in a second language.
import QtQuick

Slide {
    id: card

    readonly property var primary: view.texts.length > 0 ? view.texts[0] : ({ title: "", body: "" })
    readonly property var secondary: view.texts.length > 1 ? view.texts[1]
                                                            : ({ title: "", body: "" })
    readonly property real columnWidth: width - 2 * theme.marginX

    gradient: Gradient {
        GradientStop { position: 0.0; color: card.theme.panel }
        GradientStop { position: 1.0; color: card.theme.background }
    }

    Column {
        id: content
        anchors.centerIn: parent
        width: card.columnWidth
        spacing: Math.round(24 * card.theme.unit)
        // Everything stays on screen: a screen short of height shows it all a little smaller.
        scale: Math.min(1, (card.height - card.theme.marginY) / Math.max(1, implicitHeight))

        Text {
            width: parent.width
            text: card.primary.title
            horizontalAlignment: Text.AlignHCenter
            color: card.theme.text
            font.family: card.theme.fontFamily
            font.pixelSize: Math.round(80 * card.theme.unit)
            font.bold: true
            wrapMode: Text.Wrap
            textFormat: Text.PlainText
        }

        Text {
            width: parent.width
            text: card.primary.body
            horizontalAlignment: Text.AlignHCenter
            color: card.theme.text
            font.family: card.theme.fontFamily
            font.pixelSize: card.theme.bodySize
            wrapMode: Text.Wrap
            textFormat: Text.PlainText
        }

        // The code on a panel of its own, in the accent colour: what the eye looks for.
        Rectangle {
            anchors.horizontalCenter: parent.horizontalCenter
            visible: code.text !== ""
            width: Math.min(parent.width, code.implicitWidth + 2 * card.theme.gap)
            height: code.implicitHeight + card.theme.gap
            radius: Math.round(24 * card.theme.unit)
            color: card.theme.footer

            Text {
                id: code
                objectName: "pairingCode"
                anchors.centerIn: parent
                text: card.view.pairingCode
                color: card.theme.accent
                font.family: card.theme.fontFamily
                // As large as the panel's width allows (a portrait screen's), up to a fifth of
                // the short side: 11 cm tall letters on a 43-inch landscape screen.
                font.pixelSize: Math.min(Math.round(220 * card.theme.unit),
                                         (card.columnWidth - 2 * card.theme.gap) / 5.4)
                font.bold: true
                font.letterSpacing: Math.round(12 * card.theme.unit)
                font.features: { "tnum": 1 }
                textFormat: Text.PlainText
            }
        }

        Text {
            objectName: "serverAddress"
            width: parent.width
            text: card.view.serverLabel + "  " + card.view.serverAddress
            horizontalAlignment: Text.AlignHCenter
            color: card.theme.secondaryText
            font.family: card.theme.fontFamily
            font.pixelSize: card.theme.bodySize
            wrapMode: Text.WrapAnywhere
            textFormat: Text.PlainText
        }

        Text {
            width: parent.width
            visible: text !== ""
            topPadding: Math.round(24 * card.theme.unit)
            text: card.secondary.title
            horizontalAlignment: Text.AlignHCenter
            color: card.theme.secondaryText
            font.family: card.theme.fontFamily
            font.pixelSize: card.theme.secondaryTitleSize
            font.bold: true
            wrapMode: Text.Wrap
            textFormat: Text.PlainText
        }

        Text {
            width: parent.width
            visible: text !== ""
            text: card.secondary.body
            horizontalAlignment: Text.AlignHCenter
            color: card.theme.secondaryText
            font.family: card.theme.fontFamily
            font.pixelSize: card.theme.secondaryBodySize
            wrapMode: Text.Wrap
            textFormat: Text.PlainText
        }
    }
}
