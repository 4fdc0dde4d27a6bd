// An image slide: the picture across the whole slide area, cropped or letterboxed on navy.
import QtQuick

Rectangle {
    id: slide

    required property var view
    required property QtObject theme

    readonly property bool ready: picture.status === Image.Ready
    readonly property bool failed: picture.status === Image.Error

    color: theme.background

    Picture {
        id: picture
        anchors.fill: parent
        url: slide.view.imageUrl
        fit: slide.view.fit
    }
}
