// One of the two stacked layers: loads a slide out of sight and says when it is fit to be seen.
import QtQuick

Item {
    id: slideLayer

    required property Theme theme
    property var view: null
    property bool settled: true

    // The slide is fully decoded and laid out; fading it in now shows no gap.
    signal loaded()
    // The slide cannot be shown (its picture is missing or does not decode).
    signal broken(string imageUrl)

    function show(slideView) {
        settled = false;
        view = slideView;
        loader.setSource(Qt.resolvedUrl(componentFor(slideView.kind)),
                         { view: slideView, theme: slideLayer.theme });
        settle();
    }

    function clear() {
        settled = true;
        view = null;
        loader.source = "";
    }

    function componentFor(kind) {
        switch (kind) {
        case "image": return "ImageSlide.qml";
        case "text": return "TextSlide.qml";
        case "event": return "EventSlide.qml";
        default: return "IdleCard.qml";
        }
    }

    function settle() {
        // Not `loader.item as Slide`: Qt 6.8 answers null to that cast in a second window.
        const slide = loader.item;
        if (settled || slide === null)
            return;
        if (slide.failed) {
            settled = true;
            broken(view.imageUrl);
        } else if (slide.ready) {
            settled = true;
            loaded();
        }
    }

    Loader {
        id: loader
        anchors.fill: parent
    }

    Connections {
        target: loader.item
        ignoreUnknownSignals: true

        function onReadyChanged() { slideLayer.settle(); }
        function onFailedChanged() { slideLayer.settle(); }
    }
}
