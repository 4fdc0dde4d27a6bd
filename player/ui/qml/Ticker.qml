// The ticker line: short texts running right to left along the bottom, one after the other,
// without end. The run is moved by an animator, on the render thread where there is one.
pragma ComponentBehavior: Bound

import QtQuick

Rectangle {
    id: ticker

    required property Theme theme
    property var texts: []
    // Pixels a second at 1080 lines: a word stays in view for several seconds.
    property real speed: 130 * theme.unit
    // One copy of the texts, at least as wide as the line, so two copies loop without a gap.
    readonly property real copyWidth: Math.max(width, measure.implicitWidth)

    // A text and the bullet after it.
    component Entry: Row {
        id: entry
        required property string modelData

        Text {
            text: entry.modelData
            color: ticker.theme.text
            font.family: ticker.theme.fontFamily
            font.pixelSize: ticker.theme.tickerTextSize
            font.bold: true
            textFormat: Text.PlainText
        }

        Text {
            text: "   \u2022   "
            color: ticker.theme.accent
            font.family: ticker.theme.fontFamily
            font.pixelSize: ticker.theme.tickerTextSize
            font.bold: true
            textFormat: Text.PlainText
        }
    }

    color: theme.panel
    clip: true

    Row {
        id: run
        objectName: "tickerRun"
        height: parent.height

        Repeater {
            model: 2

            Item {
                width: ticker.copyWidth
                height: run.height

                Row {
                    anchors.verticalCenter: parent.verticalCenter

                    Repeater {
                        model: ticker.texts
                        delegate: Entry {}
                    }
                }
            }
        }
    }

    // One copy more, out of sight, to measure (transparent: a positioner skips what is hidden).
    Row {
        id: measure
        opacity: 0

        Repeater {
            model: ticker.texts
            delegate: Entry {}
        }
    }

    XAnimator {
        id: scroll
        target: run
        from: 0
        to: -ticker.copyWidth
        duration: Math.max(1000, ticker.copyWidth / Math.max(1, ticker.speed) * 1000)
        loops: Animation.Infinite
        running: ticker.visible && ticker.texts.length > 0
    }

    onCopyWidthChanged: if (scroll.running) scroll.restart()
}
