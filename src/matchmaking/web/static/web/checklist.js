// A long checkbox group (class "field-long-list") gets a search box that filters its options, and its
// options become a single Tab stop: the arrow keys move between them and Space ticks one, as in a
// group of radio buttons. The list scrolls inside a box of its own. Without JavaScript it stays a
// plain group of checkboxes; the checkboxes themselves (names and values) are never replaced.
(() => {
  const texts = document.body.dataset;
  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  let counter = 0;

  function enhance(group) {
    const fieldset = group.querySelector("fieldset");
    const boxes = [...group.querySelectorAll("input[type='checkbox']")];
    if (!fieldset || boxes.length < 2 || group.dataset.checklist) return;
    group.dataset.checklist = "on";
    counter += 1;
    const id = `checklist-${counter}`;
    const options = boxes.map((box) => ({
      box, row: box.closest("fieldset div div") || box.parentElement, text: fold(box.parentElement.textContent),
    }));
    const list = options[0].row.parentElement;
    list.id = list.id || `${id}-options`;
    list.classList.add("checklist-options");

    const tools = document.createElement("div");
    tools.className = "checklist-tools";
    const label = document.createElement("label");
    label.htmlFor = `${id}-filter`;
    label.textContent = texts.checklistFilter;
    const input = document.createElement("input");
    input.type = "search";
    input.id = `${id}-filter`;
    input.autocomplete = "off";
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-describedby", `${id}-hint ${id}-status`);
    const hint = document.createElement("p");
    hint.id = `${id}-hint`;
    hint.className = "checklist-hint small";
    hint.textContent = texts.checklistHint;
    const status = document.createElement("p");
    status.id = `${id}-status`;
    status.className = "checklist-status small";
    status.setAttribute("aria-live", "polite");
    tools.append(label, input, hint, status);
    list.before(tools);

    const visible = () => options.filter((o) => !o.row.hidden).map((o) => o.box);
    let current = null;
    function makeCurrent(box) {
      current = box;
      for (const b of boxes) b.tabIndex = b === box ? 0 : -1;
    }
    function pickCurrent() {
      const shown = visible();
      if (current && shown.includes(current)) return;
      makeCurrent(shown.find((b) => b.checked) || shown[0] || null);
    }
    function describe() {
      status.textContent = texts.checklistStatus
        .replace("{shown}", visible().length)
        .replace("{chosen}", boxes.filter((b) => b.checked).length)
        .replace("{total}", boxes.length);
    }
    function filter() {
      const query = fold(input.value);
      for (const o of options) o.row.hidden = Boolean(query) && !o.text.includes(query);
      pickCurrent();
      describe();
    }

    input.addEventListener("input", filter);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === "ArrowDown") {
        event.preventDefault(); // Enter in the search box must not submit the form.
        if (current) current.focus();
      }
    });
    list.addEventListener("focusin", (event) => {
      if (boxes.includes(event.target)) makeCurrent(event.target);
    });
    list.addEventListener("keydown", (event) => {
      const shown = visible();
      const at = shown.indexOf(document.activeElement);
      if (at < 0) return;
      const moves = { ArrowDown: at + 1, ArrowRight: at + 1, ArrowUp: at - 1, ArrowLeft: at - 1, Home: 0, End: shown.length - 1 };
      if (!(event.key in moves)) return;
      event.preventDefault();
      const next = shown[moves[event.key]];
      if (next) next.focus();
      else if (moves[event.key] < 0) input.focus();
    });
    list.addEventListener("change", describe);
    filter();
  }

  const enhanceAll = () => document.querySelectorAll(".field-long-list").forEach(enhance);
  enhanceAll();
  document.addEventListener("htmx:load", enhanceAll);
})();
