// Small progressive enhancements; the app works without JavaScript.
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
// After an htmx swap, move focus to the updated region's first heading for screen-reader users only
// when the swap was triggered by an explicit submit (not while typing).
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.requestConfig && event.detail.requestConfig.triggeringEvent &&
      event.detail.requestConfig.triggeringEvent.type === "submit") {
    const target = event.detail.target;
    target.setAttribute("tabindex", "-1");
    target.focus();
  }
});
