// The card shown when nothing can play: a calm welcome on navy, never a black screen.
import QtQuick

Slide {
    id: card

    readonly property var primary: view.texts.length > 0 ? view.texts[0] : ({ title: "", body: "" })
    readonly property var secondary: view.texts.length > 1 ? view.texts[1]
                                                            : ({ title: "", body: "" })

    gradient: Gradient {
        GradientStop { position: 0.0; color: card.theme.panel }
        GradientStop { position: 1.0; color: card.theme.background }
    }

    Column {
        anchors.centerIn: parent
        width: parent.width - 2 * card.theme.marginX
        spacing: Math.round(36 * card.theme.unit)

        Text {
            width: parent.width
            text: card.primary.title
            horizontalAlignment: Text.AlignHCenter
            color: card.theme.text
            font.family: card.theme.fontFamily
            font.pixelSize: Math.round(132 * card.theme.unit)
            font.bold: true
            wrapMode: Text.Wrap
            maximumLineCount: 2
            elide: Text.ElideRight
            textFormat: Text.PlainText
        }

        Rectangle {
            anchors.horizontalCenter: parent.horizontalCenter
            width: Math.round(180 * card.theme.unit)
            height: Math.round(10 * card.theme.unit)
            radius: height / 2
            color: card.theme.accent
        }

        Text {
            width: parent.width
            visible: text !== ""
            text: card.primary.body
            horizontalAlignment: Text.AlignHCenter
            color: card.theme.text
            font.family: card.theme.fontFamily
            font.pixelSize: card.theme.bodySize
            wrapMode: Text.Wrap
            maximumLineCount: 4
            elide: Text.ElideRight
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
            font.pixelSize: Math.round(80 * card.theme.unit)
            font.bold: true
            wrapMode: Text.Wrap
            maximumLineCount: 2
            elide: Text.ElideRight
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
            maximumLineCount: 3
            elide: Text.ElideRight
            textFormat: Text.PlainText
        }
    }
}
