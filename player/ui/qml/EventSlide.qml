// An event slide: when (in the screen's language), what, where and who arranges it.
import QtQuick

StoryLayout {
    imageUrl: view.imageUrl
    texts: view.texts
    dateLine: view.dateLine
    details: [
        { label: view.placeLabel, value: view.place },
        { label: view.organiserLabel, value: view.organiser }
    ].filter(detail => detail.value !== "")
}
