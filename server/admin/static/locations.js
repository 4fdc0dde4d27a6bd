// The location form without round trips: the short name follows the name, languages move
// in place, Monday's hours copy at once, and the hours hide while the screens are always on.
// Without this script every helper button posts the form and the server does the same.
"use strict";

(function () {
  const form = document.getElementById("location-form");
  if (!form) {
    return;
  }

  // The same rules as location_rules.suggest_slug.
  const SPELLED_OUT = { "æ": "ae", "ø": "o", "đ": "d", "ŋ": "n", "ŧ": "t", "ß": "ss" };

  function slugFrom(text) {
    return text
      .toLowerCase()
      .replace(/[æøđŋŧß]/g, (letter) => SPELLED_OUT[letter])
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 64)
      .replace(/-+$/, "");
  }

  const slug = form.querySelector("[data-suggest-from]");
  if (slug) {
    const source = document.getElementById(slug.dataset.suggestFrom);
    // Once the person types a short name of their own, it is theirs.
    let follows = slug.value === "" || slug.value === slugFrom(source.value);
    slug.addEventListener("input", () => {
      follows = slug.value === "";
    });
    source.addEventListener("input", () => {
      if (follows) {
        slug.value = slugFrom(source.value);
      }
    });
  }

  function refreshMoveButtons(list) {
    const rows = Array.from(list.children);
    rows.forEach((row, index) => {
      row.querySelector('[value$=":up"]').disabled = index === 0;
      row.querySelector('[value$=":down"]').disabled = index === rows.length - 1;
    });
  }

  form.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) {
      return;
    }
    if (button.name === "move") {
      event.preventDefault();
      const row = button.closest("li");
      const up = button.value.endsWith(":up");
      const other = up ? row.previousElementSibling : row.nextElementSibling;
      if (other) {
        row.parentElement.insertBefore(row, up ? other : other.nextElementSibling);
        refreshMoveButtons(row.parentElement);
        // Keep the focus on the arrow pressed, or on its twin once this one is disabled.
        const twin = row.querySelector(up ? '[value$=":down"]' : '[value$=":up"]');
        (button.disabled ? twin : button).focus();
      }
    } else if (button.name === "copy_monday") {
      event.preventDefault();
      copyMonday();
      const status = form.querySelector(".copy-status");
      status.textContent = button.dataset.done;
    }
  });

  function dayFields(weekday) {
    return {
      closed: form.elements[`day-${weekday}-closed`],
      times: Array.from(form.querySelectorAll(`input[type="time"][name^="day-${weekday}-"]`)),
    };
  }

  function copyMonday() {
    const monday = dayFields(1);
    for (let weekday = 2; weekday <= 5; weekday += 1) {
      const day = dayFields(weekday);
      day.closed.checked = monday.closed.checked;
      day.times.forEach((input, index) => {
        input.value = monday.times[index].value;
      });
      showClosed(day.closed);
    }
  }

  function showClosed(checkbox) {
    checkbox.closest(".day").classList.toggle("is-closed", checkbox.checked);
  }

  const hours = document.getElementById("hours");

  function showHours() {
    hours.hidden = form.elements.hours_mode.value === "always";
  }

  form.addEventListener("change", (event) => {
    if (event.target.name === "hours_mode") {
      showHours();
    } else if (event.target.name && event.target.name.endsWith("-closed")) {
      showClosed(event.target);
    }
  });
  form.querySelectorAll('input[name$="-closed"]').forEach(showClosed);
  showHours();
})();
