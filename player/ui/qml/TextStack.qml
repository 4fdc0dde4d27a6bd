// Titles and bodies in up to two languages, sized to fit: long texts end in "…", never cut off.
import QtQuick

Column {
    id: stack

    required property QtObject theme
    property var texts: []
    property string dateLine: ""
    // [{label, value}] lines such as the place and organiser of an event.
    property var details: []
    // The height the stack may fill; bodies get the lines left after titles and details.
    property real budget: 0

    readonly property var primary: texts.length > 0 ? texts[0] : ({ title: "", body: "" })
    readonly property var secondary: texts.length > 1 ? texts[1] : ({ title: "", body: "" })
    readonly property real fixedHeight: {
        let used = 0;
        let shown = 0;
        for (const item of [date, primaryTitle, secondaryTitle, detailList]) {
            if (item.visible) {
                used += item.height;
                shown += 1;
            }
        }
        const bodies = (primary.body !== "" ? 1 : 0) + (secondary.body !== "" ? 1 : 0);
        return used + (shown + bodies - 1) * spacing;
    }
    readonly property real bodyRoom: Math.max(0, budget - fixedHeight)
    readonly property bool twoBodies: primary.body !== "" && secondary.body !== ""

    spacing: theme.gap

    function linesFitting(room, metrics) {
        // A small allowance for rounding, so the last line is never clipped.
        return Math.floor(room / (metrics.lineSpacing * 1.02));
    }

    FontMetrics {
        id: bodyMetrics
        font.family: stack.theme.fontFamily
        font.pixelSize: stack.theme.bodySize
    }

    FontMetrics {
        id: secondaryBodyMetrics
        font.family: stack.theme.fontFamily
        font.pixelSize: stack.theme.secondaryBodySize
    }

    Text {
        id: date
        width: stack.width
        visible: stack.dateLine !== ""
        text: stack.dateLine
        color: stack.theme.accent
        font.family: stack.theme.fontFamily
        font.pixelSize: stack.theme.dateSize
        font.bold: true
        wrapMode: Text.Wrap
        maximumLineCount: 2
        elide: Text.ElideRight
        textFormat: Text.PlainText
    }

    Text {
        id: primaryTitle
        width: stack.width
        visible: text !== ""
        text: stack.primary.title
        color: stack.theme.text
        font.family: stack.theme.fontFamily
        font.pixelSize: stack.theme.titleSize
        font.bold: true
        lineHeight: 1.05
        wrapMode: Text.Wrap
        maximumLineCount: 3
        elide: Text.ElideRight
        textFormat: Text.PlainText
    }

    Text {
        id: primaryBody
        readonly property int lines: stack.linesFitting(
            stack.twoBodies ? stack.bodyRoom * 0.55 : stack.bodyRoom, bodyMetrics)
        width: stack.width
        visible: text !== "" && lines > 0
        text: stack.primary.body
        color: stack.theme.text
        font.family: stack.theme.fontFamily
        font.pixelSize: stack.theme.bodySize
        wrapMode: Text.Wrap
        maximumLineCount: Math.max(1, lines)
        elide: Text.ElideRight
        textFormat: Text.PlainText
    }

    Text {
        id: secondaryTitle
        width: stack.width
        visible: text !== ""
        topPadding: Math.round(12 * stack.theme.unit)
        text: stack.secondary.title
        color: stack.theme.secondaryText
        font.family: stack.theme.fontFamily
        font.pixelSize: stack.theme.secondaryTitleSize
        font.bold: true
        wrapMode: Text.Wrap
        maximumLineCount: 2
        elide: Text.ElideRight
        textFormat: Text.PlainText
    }

    Text {
        id: secondaryBody
        readonly property int lines: stack.linesFitting(
            stack.twoBodies ? stack.bodyRoom * 0.45 : stack.bodyRoom, secondaryBodyMetrics)
        width: stack.width
        visible: text !== "" && lines > 0
        text: stack.secondary.body
        color: stack.theme.secondaryText
        font.family: stack.theme.fontFamily
        font.pixelSize: stack.theme.secondaryBodySize
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
            model: stack.details

            Row {
                id: detail
                required property var modelData
                spacing: Math.round(20 * stack.theme.unit)

                Text {
                    id: detailLabel
                    text: detail.modelData.label
                    color: stack.theme.label
                    font.family: stack.theme.fontFamily
                    font.pixelSize: stack.theme.detailSize
                    textFormat: Text.PlainText
                }

                Text {
                    width: stack.width - detailLabel.width - detail.spacing
                    text: detail.modelData.value
                    color: stack.theme.text
                    font.family: stack.theme.fontFamily
                    font.pixelSize: stack.theme.detailSize
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
