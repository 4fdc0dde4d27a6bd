// The playlist editor, enhanced: drag a slide by its handle, and search the slides to add.
// Both only help the plain form: without this script the arrow and Add buttons do the same,
// and a drop sends the new order through that form's own Save button.
(function () {
  "use strict";

  const form = document.querySelector("[data-playlist-form]");
  if (!form) {
    return;
  }
  const list = form.querySelector("[data-entries]");
  if (list) {
    enableDragging(list);
  }
  const filterBox = form.querySelector("[data-filter-box]");
  if (filterBox) {
    enableFilter(filterBox);
  }

  function enableDragging(list) {
    // Pointer events rather than HTML drag and drop: they work with a finger on a phone too.
    const EDGE = 60;
    let dragged = null;
    let moved = false;

    list.classList.add("can-drag");
    list.addEventListener("pointerdown", function (event) {
      const handle = event.target.closest("[data-handle]");
      if (!handle || event.button !== 0) {
        return;
      }
      dragged = handle.closest("[data-entry]");
      moved = false;
      dragged.classList.add("dragging");
      handle.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    // On the document: moving the dragged row in the tree ends its pointer capture, and
    // the pointer may then leave the list (dragged past its top, or the page scrolled).
    document.addEventListener("pointermove", function (event) {
      if (!dragged) {
        return;
      }
      if (event.clientY < EDGE) {
        window.scrollBy(0, -12);
      } else if (event.clientY > window.innerHeight - EDGE) {
        window.scrollBy(0, 12);
      }
      const under = document.elementFromPoint(event.clientX, event.clientY);
      const target = under && under.closest("[data-entry]");
      if (!target || target === dragged || target.parentNode !== list) {
        return;
      }
      const box = target.getBoundingClientRect();
      const after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? target.nextSibling : target);
      moved = true;
    });

    function drop() {
      if (!dragged) {
        return;
      }
      dragged.classList.remove("dragging");
      dragged = null;
      if (moved) {
        list.classList.add("saving");
        form.requestSubmit(form.querySelector('button[name="action"][value="save"]'));
      }
    }
    document.addEventListener("pointerup", drop);
    document.addEventListener("pointercancel", drop);
  }

  function enableFilter(box) {
    const input = box.querySelector("[data-filter]");
    const choices = Array.from(form.querySelectorAll("[data-choice]"));
    box.hidden = false;
    input.addEventListener("input", function () {
      const wanted = input.value.trim().toLocaleLowerCase();
      for (const choice of choices) {
        choice.hidden = wanted !== "" && !choice.textContent.toLocaleLowerCase().includes(wanted);
      }
    });
    // Enter in the search field would press the form's first button, which saves.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
  }
})();
