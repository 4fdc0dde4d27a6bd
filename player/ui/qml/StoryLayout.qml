// Words with an optional picture: side by side on a landscape screen, stacked on a portrait one.
import QtQuick

Slide {
    id: story

    property string imageUrl: ""
    property var texts: []
    property string dateLine: ""
    property var details: []

    readonly property bool hasPicture: imageUrl !== ""

    ready: stack.fitted && (!hasPicture || picture.status === Image.Ready)
    failed: hasPicture && picture.status === Image.Error

    Picture {
        id: picture
        visible: story.hasPicture
        url: story.imageUrl
        x: story.theme.portrait ? 0 : Math.round(story.width * 0.58)
        y: 0
        width: story.hasPicture ? (story.theme.portrait ? story.width : story.width - x) : 0
        height: story.hasPicture ? (story.theme.portrait ? Math.round(story.height * 0.38)
                                                         : story.height) : 0
    }

    // A bar in the accent colour marks where reading starts.
    Rectangle {
        x: Math.round(story.theme.marginX * 0.45)
        y: stack.y + Math.round(10 * story.theme.unit)
        width: Math.round(10 * story.theme.unit)
        height: Math.min(stack.height, story.theme.titleSize * 2.4)
        color: story.theme.accent
    }

    TextStack {
        id: stack
        theme: story.theme
        texts: story.texts
        dateLine: story.dateLine
        details: story.details
        // Short texts sit a little above the middle of the free space, as on a poster.
        readonly property real startY: story.theme.portrait && story.hasPicture
                                    ? picture.height + story.theme.marginY * 0.8
                                    : story.theme.marginY
        x: story.theme.marginX
        y: startY + Math.round(Math.max(0, budget - height) * 0.4)
        width: (story.hasPicture && !story.theme.portrait ? picture.x : story.width)
               - x - story.theme.marginX
        budget: story.height - startY - story.theme.marginY
    }
}
