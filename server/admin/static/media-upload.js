// The media library's upload form, sent by XMLHttpRequest so that a progress bar can
// show how far a large video has come. Without JavaScript the same form posts as usual;
// whatever the server answers (the library again, or the page with its message) is
// what the plain post would have shown.
(function () {
  "use strict";
  var form = document.querySelector("form.upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData || !window.DOMParser) {
    return;
  }
  var input = form.querySelector('input[type="file"]');
  var progress = form.querySelector(".upload-progress");
  var bar = progress.querySelector("progress");
  var percent = progress.querySelector(".upload-percent");
  var error = form.querySelector(".upload-error");
  var button = form.querySelector('button[type="submit"]');
  var maxBytes = Number(form.dataset.maxBytes);

  function showProgress(share) {
    bar.value = share;
    percent.textContent = share + " %";
  }

  function showError(text) {
    error.textContent = text;
    error.hidden = false;
    progress.hidden = true;
    button.disabled = false;
  }

  form.addEventListener("submit", function (event) {
    var file = input.files && input.files[0];
    if (!file) {
      return; // the browser says that a file is required
    }
    event.preventDefault();
    error.hidden = true;
    // The server refuses it too; saying so now saves sending hundreds of megabytes.
    if (file.size > maxBytes) {
      showError(form.dataset.tooLarge);
      return;
    }
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", function (progressEvent) {
      if (progressEvent.lengthComputable) {
        showProgress(Math.floor((progressEvent.loaded / progressEvent.total) * 100));
      }
    });
    request.addEventListener("load", function () {
      if (request.status >= 200 && request.status < 300) {
        // Redirected to the library (or, with an expired session, to the login).
        window.location.assign(request.responseURL);
        return;
      }
      var page = new DOMParser().parseFromString(request.responseText, "text/html");
      var message = page.querySelector(".message.error");
      showError(message && message.textContent.trim() ? message.textContent.trim() : form.dataset.failed);
    });
    request.addEventListener("error", function () {
      showError(form.dataset.failed);
    });
    progress.hidden = false;
    showProgress(0);
    button.disabled = true;
    request.send(new FormData(form));
  });
})();
