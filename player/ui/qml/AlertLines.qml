// An alert's words in up to two languages, sized to fit their room: type shrinks (within what
// reads from three metres), then the descriptions and instructions give way line by line (the
// second language's first), ending in "…"; nothing runs out of the room.
import QtQuick

Item {
    id: lines

    required property Theme theme
    property var texts: []
    property color ink: theme.text
    // The room the words may fill.
    property real room: 0
    property bool withInstruction: true
    property real headlineSize: Math.round(100 * theme.unit)
    property real bodySize: Math.round(54 * theme.unit)
    // The second language is drawn this much smaller than the first (its body less so: at the
    // smallest it still has 32 px on a 1080-line screen).
    readonly property real secondaryHeadlineScale: 0.72
    readonly property real secondaryBodyScale: 0.8
    // All type is drawn at this share of the design sizes: 1 unless space is short.
    property real fitScale: 1
    readonly property real minimumScale: 0.75
    // The type has been sized for the room the words have, and this is the height they take.
    property bool fitted: false
    property real usedHeight: 0

    readonly property var blank: ({ headline: "", description: "", instruction: "" })
    readonly property bool twoLanguages: texts.length > 1 && texts[1].headline !== ""

    function neededHeight() {
        return first.neededHeight() + (twoLanguages ? gap.height + second.neededHeight() : 0);
    }

    // Lowers `property` of `block` (a line limit of `part`, down to `least`) by the lines
    // `over` pixels take; what is still over.
    function giveWay(block, part, property, over, least) {
        if (over <= 0 || block[property] === 0 || part.text === "" || part.lineCount === 0)
            return over;
        const lineHeight = part.height / part.lineCount;
        const keep = Math.max(least, part.lineCount - Math.ceil(over / lineHeight));
        block[property] = keep;
        return neededHeight() - room;
    }

    function fit() {
        if (width <= 0 || room <= 0)
            return;
        for (const block of [first, second]) {
            block.headlineLines = 4;
            block.descriptionLines = 1000;
            block.instructionLines = 1000;
        }
        second.headlineLines = 3;
        for (let step = 0; ; ++step) {
            fitScale = 1 - 0.05 * step;
            if (neededHeight() <= room || fitScale <= minimumScale + 0.001)
                break;
        }
        let over = neededHeight() - room;
        over = giveWay(second, second.descriptionText, "descriptionLines", over, 0);
        over = giveWay(first, first.descriptionText, "descriptionLines", over, 0);
        over = giveWay(second, second.instructionText, "instructionLines", over, 0);
        over = giveWay(second, second.headlineText, "headlineLines", over, 1);
        over = giveWay(first, first.instructionText, "instructionLines", over, 1);
        giveWay(first, first.headlineText, "headlineLines", over, 1);
        usedHeight = Math.min(room, neededHeight());
        fitted = true;
    }

    // Once every binding of the change has settled: the texts have their new width.
    function refit() {
        fitted = false;
        Qt.callLater(fit);
    }

    onTextsChanged: refit()
    onRoomChanged: refit()
    onWidthChanged: refit()

    Column {
        width: lines.width
        clip: true
        height: lines.room

        AlertBlock {
            id: first
            width: parent.width
            theme: lines.theme
            words: lines.texts.length > 0 ? lines.texts[0] : lines.blank
            ink: lines.ink
            withInstruction: lines.withInstruction
            headlineSize: Math.round(lines.headlineSize * lines.fitScale)
            bodySize: Math.round(lines.bodySize * lines.fitScale)
        }

        Item {
            id: gap
            width: 1
            visible: lines.twoLanguages
            height: Math.round(40 * lines.theme.unit * lines.fitScale)
        }

        AlertBlock {
            id: second
            width: parent.width
            visible: lines.twoLanguages
            theme: lines.theme
            words: lines.twoLanguages ? lines.texts[1] : lines.blank
            ink: lines.ink
            withInstruction: lines.withInstruction
            headlineSize: Math.round(lines.headlineSize * lines.secondaryHeadlineScale
                                     * lines.fitScale)
            bodySize: Math.round(lines.bodySize * lines.secondaryBodyScale * lines.fitScale)
        }
    }
}
