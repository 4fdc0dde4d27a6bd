// The player's scene: two slide layers that cross-fade, and the footer strip below them.
import QtQuick

Rectangle {
    id: root

    // The Python `player.ui.stage.Stage`.
    required property var stage

    property SlideLayer front: first
    property SlideLayer back: second
    property bool fading: false

    color: screenTheme.background

    function present(slideView) {
        if (fading)
            finishFade();
        back.show(slideView);
    }

    // The new slide fades in over the old one, which stays fully opaque underneath:
    // every frame of the transition is a blend of two finished slides, never of navy or black.
    function startFade() {
        fading = true;
        back.z = 1;
        front.z = 0;
        back.opacity = 0;
        fade.target = back;
        fade.restart();
    }

    function finishFade() {
        if (!fading)
            return;
        fading = false;
        fade.stop();
        const shown = back;
        shown.opacity = 1;
        front.opacity = 0;
        front.clear();
        back = front;
        front = shown;
        stage.transitionFinished();
    }

    Theme {
        id: screenTheme
        unit: Math.min(root.width, root.height) / 1080
        portrait: root.height > root.width
        fontFamily: root.stage.fontFamily
    }

    Item {
        id: slideArea
        anchors { left: parent.left; right: parent.right; top: parent.top; bottom: footer.top }
        clip: true

        SlideLayer {
            id: first
            anchors.fill: parent
            theme: screenTheme
            opacity: 0
            onLoaded: if (root.back === first) root.startFade()
            onBroken: imageUrl => { if (root.back === first) root.stage.slideFailed(imageUrl); }
        }

        SlideLayer {
            id: second
            anchors.fill: parent
            theme: screenTheme
            opacity: 0
            onLoaded: if (root.back === second) root.startFade()
            onBroken: imageUrl => { if (root.back === second) root.stage.slideFailed(imageUrl); }
        }
    }

    NumberAnimation {
        id: fade
        property: "opacity"
        from: 0
        to: 1
        duration: root.stage.fadeMs
        easing.type: Easing.InOutQuad
        onFinished: root.finishFade()
    }

    Footer {
        id: footer
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: screenTheme.footerHeight
        theme: screenTheme
        locationName: root.stage.locationName
        clockText: root.stage.clockText
    }

    Connections {
        target: root.stage

        function onPresentRequested(slideView) { root.present(slideView); }
    }
}
