// Titles and bodies in up to two languages, sized to fit: type shrinks (within what reads from
// three metres) so that both languages' titles and the event's details show whole; long bodies
// end in "…", never cut off.
pragma ComponentBehavior: Bound

import QtQuick

Column {
    id: stack

    required property Theme theme
    property var texts: []
    property string dateLine: ""
    // [{label, value}] lines such as the place and organiser of an event.
    property var details: []
    // The height the stack may fill; bodies get the lines left after titles and details.
    property real budget: 0
    // All type is drawn at this share of the theme's sizes: 1 unless space is short.
    property real fitScale: 1
    // The type has been sized for the space the stack has.
    property bool fitted: false
    // Three quarters of the design sizes still read from three metres (body type stays
    // above 30 px on a 1080-line screen); `shrinkUntilFit` goes down to it in five steps.
    readonly property real minimumScale: 0.75

    readonly property real titleSize: Math.round(theme.titleSize * fitScale)
    readonly property real bodySize: Math.round(theme.bodySize * fitScale)
    readonly property real secondaryTitleSize: Math.round(theme.secondaryTitleSize * fitScale)
    readonly property real secondaryBodySize: Math.round(theme.secondaryBodySize * fitScale)
    readonly property real dateSize: Math.round(theme.dateSize * fitScale)
    readonly property real detailSize: Math.round(theme.detailSize * fitScale)

    readonly property var primary: texts.length > 0 ? texts[0] : ({ title: "", body: "" })
    readonly property var secondary: texts.length > 1 ? texts[1] : ({ title: "", body: "" })

    // What must fit comes first: the date, the primary title (shortened to fit if it
    // must), the event details; then the second language's title, then the bodies.
    readonly property real dateRoom: date.visible ? date.height + spacing : 0
    readonly property real detailRoom: detailList.visible ? detailList.height + spacing : 0
    readonly property int maximumTitleLines: 3
    readonly property int titleLines: Math.max(1, Math.min(maximumTitleLines, linesFitting(
        budget - dateRoom - detailRoom, titleMetrics.lineSpacing * primaryTitle.lineHeight)))
    readonly property real essentialHeight: dateRoom + primaryTitle.height + detailRoom
    readonly property bool secondaryShown: secondary.title !== ""
        && budget - essentialHeight - spacing - secondaryTitle.implicitHeight
           >= (primary.body !== "" ? bodyMetrics.lineSpacing + spacing : 0)
    readonly property real bodyRoom: budget - essentialHeight
        - (secondaryShown ? secondaryTitle.height + spacing : 0)
    readonly property bool twoBodies: primary.body !== "" && secondaryShown
                                      && secondary.body !== ""
    // With two bodies, neither takes more than it needs: what one leaves, the other may
    // use; when both are long, the primary language gets the larger share.
    readonly property real bodiesRoom: bodyRoom - (twoBodies ? 2 : 1) * spacing
    readonly property real secondaryNeed: secondaryMeasure.lineCount
                                          * secondaryBodyMetrics.lineSpacing * 1.02
    readonly property real primaryNeed: primaryMeasure.lineCount
                                        * bodyMetrics.lineSpacing * 1.02
    readonly property real secondaryBodyRoom: twoBodies
        ? Math.min(secondaryNeed, Math.max(bodiesRoom * 0.45, bodiesRoom - primaryNeed))
        : bodiesRoom
    readonly property real primaryBodyRoom: twoBodies ? bodiesRoom - secondaryBodyRoom
                                                      : bodiesRoom

    spacing: theme.gap

    function linesFitting(room, lineSpacing) {
        // A small allowance for rounding, so that the last line is never clipped.
        return Math.floor(room / (lineSpacing * 1.02));
    }

    // Whether the date, both titles and the details fit whole, within their line limits,
    // with room for a first line of body if `withBody`.
    function fitsWhole(withBody) {
        if (titleMeasure.lineCount > maximumTitleLines
                || secondaryTitleMeasure.lineCount > secondaryTitle.maximumLineCount
                || dateMeasure.lineCount > date.maximumLineCount)
            return false;
        for (let i = 0; i < detailRepeater.count; ++i) {
            if (detailRepeater.itemAt(i).truncated)
                return false;
        }
        let height = titleMeasure.height;
        if (dateLine !== "")
            height += dateMeasure.height + spacing;
        if (details.length > 0)
            height += detailList.height + spacing;
        if (secondary.title !== "")
            height += secondaryTitleMeasure.height + spacing;
        if (withBody && primary.body !== "")
            height += bodyMetrics.lineSpacing * 1.02 + spacing;
        return height <= budget;
    }

    // Sets the largest type, in steps of 5 %, at which everything essential fits whole;
    // false when even the smallest legible type is too large.
    function shrinkUntilFit(withBody) {
        for (let step = 0; step <= 5; ++step) {
            fitScale = 1 - 0.05 * step;
            if (fitsWhole(withBody))
                return true;
        }
        return false;
    }

    // Bodies are welcome, the titles and details are essential: room for a first line of
    // body is kept if the type need not shrink further for it. A title too long to show
    // whole at any legible size keeps the design size and ends in "…".
    function fit() {
        if (budget <= 0 || width <= 0)
            return;
        if (!shrinkUntilFit(true) && !shrinkUntilFit(false))
            fitScale = 1;
        fitted = true;
    }

    // Later, once every binding of the change has settled: the copies have their new width.
    function refit() {
        Qt.callLater(fit);
    }

    onBudgetChanged: refit()
    onWidthChanged: refit()
    onTextsChanged: refit()
    onDateLineChanged: refit()
    onDetailsChanged: refit()

    FontMetrics {
        id: titleMetrics
        font.family: stack.theme.fontFamily
        font.pixelSize: stack.titleSize
        font.bold: true
    }

    FontMetrics {
        id: bodyMetrics
        font.family: stack.theme.fontFamily
        font.pixelSize: stack.bodySize
    }

    FontMetrics {
        id: secondaryBodyMetrics
        font.family: stack.theme.fontFamily
        font.pixelSize: stack.secondaryBodySize
    }

    // Unlimited, invisible copies of what must show whole: how tall each is in full.
    Text {
        id: dateMeasure
        visible: false
        width: stack.width
        text: stack.dateLine
        font: date.font
        wrapMode: Text.Wrap
        textFormat: Text.PlainText
    }

    Text {
        id: titleMeasure
        visible: false
        width: stack.width
        text: stack.primary.title
        font: primaryTitle.font
        lineHeight: primaryTitle.lineHeight
        wrapMode: Text.Wrap
        textFormat: Text.PlainText
    }

    Text {
        id: secondaryTitleMeasure
        visible: false
        width: stack.width
        topPadding: secondaryTitle.topPadding
        text: stack.secondary.title
        font: secondaryTitle.font
        wrapMode: Text.Wrap
        textFormat: Text.PlainText
    }

    // The same for the bodies: how many lines each would take in full.
    Text {
        id: primaryMeasure
        visible: false
        width: stack.width
        text: stack.primary.body
        font: primaryBody.font
        wrapMode: Text.Wrap
        textFormat: Text.PlainText
    }

    Text {
        id: secondaryMeasure
        visible: false
        width: stack.width
        text: stack.secondary.body
        font: secondaryBody.font
        wrapMode: Text.Wrap
        textFormat: Text.PlainText
    }

    Text {
        id: date
        objectName: "dateLine"
        width: stack.width
        visible: stack.dateLine !== ""
        text: stack.dateLine
        color: stack.theme.accent
        font.family: stack.theme.fontFamily
        font.pixelSize: stack.dateSize
        font.bold: true
        wrapMode: Text.Wrap
        maximumLineCount: 2
        elide: Text.ElideRight
        textFormat: Text.PlainText
    }

    Text {
        id: primaryTitle
        objectName: "primaryTitle"
        width: stack.width
        visible: text !== ""
        text: stack.primary.title
        color: stack.theme.text
        font.family: stack.theme.fontFamily
        font.pixelSize: stack.titleSize
        font.bold: true
        lineHeight: 1.05
        wrapMode: Text.Wrap
        maximumLineCount: stack.titleLines
        elide: Text.ElideRight
        textFormat: Text.PlainText
    }

    Text {
        id: primaryBody
        objectName: "primaryBody"
        readonly property int lines: stack.linesFitting(stack.primaryBodyRoom,
                                                        bodyMetrics.lineSpacing)
        width: stack.width
        visible: text !== "" && lines > 0
        text: stack.primary.body
        color: stack.theme.text
        font.family: stack.theme.fontFamily
        font.pixelSize: stack.bodySize
        wrapMode: Text.Wrap
        maximumLineCount: Math.max(1, lines)
        elide: Text.ElideRight
        textFormat: Text.PlainText
    }

    Text {
        id: secondaryTitle
        objectName: "secondaryTitle"
        width: stack.width
        visible: stack.secondaryShown
        topPadding: Math.round(12 * stack.theme.unit)
        text: stack.secondary.title
        color: stack.theme.secondaryText
        font.family: stack.theme.fontFamily
        font.pixelSize: stack.secondaryTitleSize
        font.bold: true
        wrapMode: Text.Wrap
        maximumLineCount: 2
        elide: Text.ElideRight
        textFormat: Text.PlainText
    }

    Text {
        id: secondaryBody
        objectName: "secondaryBody"
        readonly property int lines: stack.linesFitting(stack.secondaryBodyRoom,
                                                        secondaryBodyMetrics.lineSpacing)
        width: stack.width
        visible: stack.secondaryShown && text !== "" && lines > 0
        text: stack.secondary.body
        color: stack.theme.secondaryText
        font.family: stack.theme.fontFamily
        font.pixelSize: stack.secondaryBodySize
        wrapMode: Text.Wrap
        maximumLineCount: Math.max(1, lines)
        elide: Text.ElideRight
        textFormat: Text.PlainText
    }

    Column {
        id: detailList
        width: stack.width
        visible: stack.details.length > 0
        topPadding: Math.round(8 * stack.theme.unit)
        spacing: Math.round(10 * stack.theme.unit)

        Repeater {
            id: detailRepeater
            model: stack.details

            Row {
                id: detail
                required property var modelData
                // The value did not fit in its lines.
                readonly property bool truncated: detailValue.truncated
                spacing: Math.round(20 * stack.theme.unit)

                Text {
                    id: detailLabel
                    text: detail.modelData.label
                    color: stack.theme.label
                    font.family: stack.theme.fontFamily
                    font.pixelSize: stack.detailSize
                    textFormat: Text.PlainText
                }

                Text {
                    id: detailValue
                    width: stack.width - detailLabel.width - detail.spacing
                    text: detail.modelData.value
                    color: stack.theme.text
                    font.family: stack.theme.fontFamily
                    font.pixelSize: stack.detailSize
                    font.bold: true
                    wrapMode: Text.Wrap
                    maximumLineCount: 2
                    elide: Text.ElideRight
                    textFormat: Text.PlainText
                }
            }
        }
    }
}
