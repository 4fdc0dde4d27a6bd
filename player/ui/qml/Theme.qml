// Colours, type sizes and margins of the public screen, designed at 1080 px on the short side.
import QtQuick

QtObject {
    // 1.0 on a 1920x1080 or 1080x1920 screen; everything scales with the short side.
    property real unit: 1
    property bool portrait: false
    property string fontFamily: "Noto Sans"

    // White on deep navy: far above WCAG AAA contrast, readable from three metres.
    readonly property color background: "#0b1f3a"
    readonly property color panel: "#12294a"
    readonly property color footer: "#061327"
    readonly property color text: "#ffffff"
    readonly property color secondaryText: "#cbd8ec"
    readonly property color label: "#9fb4d3"
    readonly property color accent: "#ffc845"

    readonly property real titleSize: Math.round(88 * unit)
    readonly property real bodySize: Math.round(52 * unit)
    readonly property real secondaryTitleSize: Math.round(60 * unit)
    readonly property real secondaryBodySize: Math.round(44 * unit)
    readonly property real dateSize: Math.round(60 * unit)
    readonly property real detailSize: Math.round(46 * unit)
    readonly property real footerTextSize: Math.round(44 * unit)
    readonly property real footerHeight: Math.round(104 * unit)
    readonly property real tickerHeight: Math.round(84 * unit)
    readonly property real tickerTextSize: Math.round(46 * unit)
    // A banner warning takes this much of the slide area's lower part.
    readonly property real bannerHeight: Math.round((portrait ? 380 : 300) * unit)

    // Warnings by severity, with the type drawn on them; every pair is above 6.5:1.
    readonly property color extreme: "#a30015"
    readonly property color severe: "#f28c00"
    readonly property color moderate: "#ffd23f"
    readonly property color minor: "#dce6f4"
    // The all-clear: a calm green.
    readonly property color allClear: "#1d6b3a"
    readonly property color darkInk: "#1a1000"

    function alertColour(severity, kind) {
        if (kind === "all_clear")
            return allClear;
        switch (severity) {
        case "extreme": return extreme;
        case "severe": return severe;
        case "moderate": return moderate;
        default: return minor;
        }
    }

    function alertInk(severity, kind) {
        if (kind === "all_clear" || severity === "extreme")
            return text;
        return severity === "severe" || severity === "moderate" ? darkInk : background;
    }

    // Title-safe area: TVs and screens behind shop windows crop or glare at the edges.
    readonly property real marginX: Math.round((portrait ? 72 : 112) * unit)
    readonly property real marginY: Math.round((portrait ? 96 : 72) * unit)
    readonly property real gap: Math.round(28 * unit)
}
