// One language of an alert: the headline, what happened, and what to do (set off by a bar).
import QtQuick

Column {
    id: block

    required property Theme theme
    property var words: ({ headline: "", description: "", instruction: "" })
    property color ink: theme.text
    property real headlineSize: 0
    property real bodySize: 0
    property bool withInstruction: true
    // How many lines each part may take; `AlertLines` lowers them when space is short.
    property int headlineLines: 4
    property int descriptionLines: 1000
    property int instructionLines: 1000

    // Which parts show, by their own rules (`visible` also says whether the card is in view).
    readonly property bool hasHeadline: words.headline !== ""
    readonly property bool hasDescription: words.description !== "" && descriptionLines > 0
    readonly property bool hasInstruction: withInstruction && words.instruction !== ""
                                           && instructionLines > 0

    // The parts' texts, for `AlertLines` to measure and shorten.
    readonly property Text headlineText: headline
    readonly property Text descriptionText: description
    readonly property Text instructionText: instruction

    spacing: Math.round(18 * theme.unit)

    // The height the visible parts take, as laid out now (the column itself lays out later).
    function neededHeight() {
        let total = 0;
        let count = 0;
        for (const [part, shown] of [[headline, hasHeadline], [description, hasDescription],
                                     [instruction, hasInstruction]]) {
            if (shown) {
                total += part.height;
                count += 1;
            }
        }
        return total + Math.max(0, count - 1) * spacing;
    }

    Text {
        id: headline
        objectName: "alertHeadline"
        width: block.width
        visible: block.hasHeadline
        text: block.words.headline
        color: block.ink
        font.family: block.theme.fontFamily
        font.pixelSize: block.headlineSize
        font.bold: true
        lineHeight: 1.05
        wrapMode: Text.Wrap
        maximumLineCount: block.headlineLines
        elide: Text.ElideRight
        textFormat: Text.PlainText
    }

    Text {
        id: description
        objectName: "alertDescription"
        width: block.width
        visible: block.hasDescription
        text: block.words.description
        color: block.ink
        font.family: block.theme.fontFamily
        font.pixelSize: block.bodySize
        wrapMode: Text.Wrap
        maximumLineCount: Math.max(1, block.descriptionLines)
        elide: Text.ElideRight
        textFormat: Text.PlainText
    }

    Text {
        id: instruction
        objectName: "alertInstruction"
        width: block.width
        visible: block.hasInstruction
        leftPadding: Math.round(34 * block.theme.unit)
        text: block.words.instruction
        color: block.ink
        font.family: block.theme.fontFamily
        font.pixelSize: block.bodySize
        font.bold: true
        wrapMode: Text.Wrap
        maximumLineCount: Math.max(1, block.instructionLines)
        elide: Text.ElideRight
        textFormat: Text.PlainText

        Rectangle {
            width: Math.round(10 * block.theme.unit)
            height: parent.height
            color: block.ink
        }
    }
}
