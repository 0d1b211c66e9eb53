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

document.documentElement.classList.add("js");

// The main menu collapses behind its toggle on narrow screens (CSS decides when); Escape closes it.
function setUpMenu() {
  const toggle = document.querySelector(".menu-toggle[aria-controls]");
  if (!toggle) return;
  const nav = toggle.closest("nav");
  const setOpen = (open) => {
    toggle.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("menu-open", open);
  };
  toggle.hidden = false;
  toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));
  nav.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      toggle.focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (!nav.contains(event.target)) setOpen(false);
  });
  // Leaving the menu with Tab closes it, so that it never covers the element that has the focus.
  nav.addEventListener("focusout", (event) => {
    if (event.relatedTarget && !nav.contains(event.relatedTarget)) setOpen(false);
  });
}

// Each table in the page's content sits in a region of its own that scrolls sideways when the table is
// wider than the screen; only then is the region a labelled, focusable landmark (keyboard scrolling).
function tableLabel(table) {
  if (table.caption && table.caption.textContent.trim()) return table.caption.textContent.trim();
  if (table.getAttribute("aria-label")) return table.getAttribute("aria-label");
  for (let node = table; node && node !== document.body; node = node.parentElement) {
    for (let sibling = node.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
      const headings = /^H[1-6]$/.test(sibling.tagName) ? [sibling] : sibling.querySelectorAll("h1, h2, h3, h4, h5, h6");
      if (headings.length) return headings[headings.length - 1].textContent.trim();
    }
  }
  return document.body.dataset.tableLabel || "";
}

function markScrollable(region) {
  if (region.scrollWidth > region.clientWidth + 1) {
    region.setAttribute("role", "region");
    region.setAttribute("aria-label", region.dataset.label);
    region.tabIndex = 0;
  } else {
    region.removeAttribute("role");
    region.removeAttribute("aria-label");
    region.removeAttribute("tabindex");
  }
}

function wrapTables(root) {
  for (const table of root.querySelectorAll("main table")) {
    if (table.parentElement.classList.contains("table-scroll")) continue;
    const region = document.createElement("div");
    region.className = "table-scroll";
    region.dataset.label = tableLabel(table);
    table.before(region);
    region.append(table);
  }
  document.querySelectorAll(".table-scroll").forEach(markScrollable);
}

setUpMenu();
wrapTables(document);
let resizeTimer = null;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => document.querySelectorAll(".table-scroll").forEach(markScrollable), 100);
});
document.addEventListener("htmx:load", () => wrapTables(document));
