// Titles and bodies in up to two languages, sized to fit: long texts end in "…", never cut off.
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

    readonly property var primary: texts.length > 0 ? texts[0] : ({ title: "", body: "" })
    readonly property var secondary: texts.length > 1 ? texts[1] : ({ title: "", body: "" })

    // What must fit comes first: the date, the primary title (shortened to fit if it
    // must), the event details; then the second language's title, then the bodies.
    readonly property real dateRoom: date.visible ? date.height + spacing : 0
    readonly property real detailRoom: detailList.visible ? detailList.height + spacing : 0
    readonly property int titleLines: Math.max(1, Math.min(3, linesFitting(
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

    FontMetrics {
        id: titleMetrics
        font.family: stack.theme.fontFamily
        font.pixelSize: stack.theme.titleSize
        font.bold: true
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

    // Unlimited, invisible copies of the bodies: how many lines each would take in full.
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
        font.pixelSize: stack.theme.dateSize
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
        font.pixelSize: stack.theme.titleSize
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
        font.pixelSize: stack.theme.bodySize
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
        font.pixelSize: stack.theme.secondaryTitleSize
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
