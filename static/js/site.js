// Small enhancements only: every page works without JavaScript.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false; // the print button needs JavaScript, so it only shows with it
  button.addEventListener("click", () => window.print());
}
