// Better with JavaScript, fine without: warn about an oversized file before it is uploaded,
// and say which file was chosen. The server enforces the same limit whatever happens here.
(function () {
  "use strict";
  var LIMIT = 15 * 1024 * 1024;
  document.querySelectorAll('input[type="file"]').forEach(function (input) {
    var note = document.createElement("p");
    note.setAttribute("role", "status");
    note.className = "hint";
    input.insertAdjacentElement("afterend", note);
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) { note.textContent = ""; return; }
      if (file.size > LIMIT) {
        note.className = "file-note";
        note.textContent = "This file is larger than 15 MB: choose a smaller screenshot.";
        input.value = "";
      } else {
        note.className = "hint";
        note.textContent = "Chosen: " + file.name + " (" + Math.ceil(file.size / 1024) + " KB)";
      }
    });
  });
})();
