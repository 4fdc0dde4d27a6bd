// An image slide: the picture across the whole slide area, cropped or letterboxed on navy.
import QtQuick

Slide {
    id: slide

    ready: picture.status === Image.Ready
    failed: picture.status === Image.Error

    Picture {
        id: picture
        anchors.fill: parent
        url: slide.view.imageUrl
        fit: slide.view.fit
    }
}
