// A video slide: the clip across the slide area, silent unless the item says otherwise.
// It waits on its first frame until its layer fades it in, then plays once or in a loop.
import QtQuick
import QtMultimedia
import Anslag.Player

Slide {
    id: slide

    // The software renderer (no GPU; the offscreen tests) cannot draw VideoOutput's
    // textures, so there the frames are painted from the CPU.
    readonly property bool software: GraphicsInfo.api === GraphicsInfo.Software
    property bool hasFrame: false

    ready: hasFrame
    failed: !hasFrame && (player.error !== MediaPlayer.NoError
                         || player.mediaStatus === MediaPlayer.InvalidMedia)
    // Played once, the clip gives way a fade's length before its end, so that the next
    // slide is fully in when the last frame is reached; a broken stream gives way at once.
    ending: running && !view.loop
            && (player.mediaStatus === MediaPlayer.EndOfMedia
                || player.error !== MediaPlayer.NoError
                || (player.duration > 0 && player.position >= player.duration - fadeMs))

    onRunningChanged: running ? player.play() : player.pause()

    MediaPlayer {
        id: player
        objectName: "videoPlayer"
        source: slide.view.videoUrl
        loops: slide.view.loop ? MediaPlayer.Infinite : 1
        onErrorOccurred: (error, errorString) => console.info("video", slide.view.videoUrl,
                                                             "does not play:", errorString)
    }

    Component {
        id: sound
        AudioOutput {}
    }

    VideoOutput {
        id: output
        anchors.fill: parent
        visible: !slide.software
        fillMode: slide.view.fit === "fit" ? VideoOutput.PreserveAspectFit
                                           : VideoOutput.PreserveAspectCrop
    }

    VideoFrames {
        id: frames
        anchors.fill: parent
        visible: slide.software
        fit: slide.view.fit
        onHasFrameChanged: slide.hasFrame = true
    }

    Component.onCompleted: {
        if (software) {
            player.videoOutput = frames.videoSink;
        } else {
            player.videoOutput = output;
            output.videoSink.videoFrameChanged.connect(() => { slide.hasFrame = true; });
        }
        // A silent clip gets no audio output at all: no sound device is opened for it.
        if (!view.muted)
            player.audioOutput = sound.createObject(slide);
        // Decodes the first frame and holds it there: the clip starts when it is seen.
        player.pause();
    }
}
