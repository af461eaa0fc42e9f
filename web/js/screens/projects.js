import * as api from "../api.js";
import { clear, errorText, field, h, toast, when } from "../ui.js";

export async function projectsScreen(main) {
  const list = h("ul", { class: "projects", "aria-label": "Your projects" });
  const name = h("input", { type: "text", required: true, maxlength: 200 });
  const error = h("p", { class: "error", role: "alert" });
  main.append(
    h("h1", {}, "Projects"),
    h("form", {
      class: "card inline", onsubmit: async (event) => {
        event.preventDefault();
        error.textContent = "";
        try {
          const p = await api.call("POST", "/v1/projects", { name: name.value.trim() });
          location.hash = `#/projects/${p.project_id}`;
        } catch (err) { error.textContent = errorText(err); }
      },
    }, field("new-project", "New project name", name), h("button", { type: "submit" }, "Create project"), error),
    list);

  async function load() {
    try {
      const page = await api.call("GET", "/v1/projects?limit=100");
      clear(list, page.items.length ? page.items.map(item) : h("li", { class: "muted" }, "No projects yet."));
    } catch (err) { clear(list, h("li", { class: "error" }, errorText(err))); }
  }

  function item(p) {
    const li = h("li", { class: "card project", "data-project-id": p.project_id });
    const show = () => clear(li,
      h("a", { href: `#/projects/${p.project_id}`, class: "title" }, p.name),
      h("small", { class: "muted" }, `updated ${when(p.updated_at)}`),
      h("span", { class: "actions" },
        h("button", { type: "button", class: "secondary", onclick: rename, "aria-label": `Rename ${p.name}` }, "Rename"),
        h("button", { type: "button", class: "danger", onclick: remove, "aria-label": `Delete ${p.name}` }, "Delete")));
    const rename = () => {
      const input = h("input", { type: "text", value: p.name, required: true, maxlength: 200 });
      clear(li, h("form", {
        class: "inline", onsubmit: async (event) => {
          event.preventDefault();
          try {
            Object.assign(p, await api.call("PATCH", `/v1/projects/${p.project_id}`, { name: input.value.trim() }));
            show();
          } catch (err) { toast(errorText(err), "error"); }
        },
      }, field(`rename-${p.project_id}`, "New name", input), h("button", { type: "submit" }, "Save"),
      h("button", { type: "button", class: "secondary", onclick: show }, "Cancel")));
      input.focus();
    };
    // Two steps instead of a confirm() dialog: the same for keyboard, mouse and screen reader.
    const remove = (event) => {
      const button = event.currentTarget;
      if (button.dataset.armed !== "1") {
        button.dataset.armed = "1";
        button.textContent = "Confirm delete";
        return;
      }
      api.call("DELETE", `/v1/projects/${p.project_id}`).then(() => { toast(`Deleted ${p.name}`); load(); },
        (err) => toast(errorText(err), "error"));
    };
    show();
    return li;
  }

  await load();
  name.focus();
}
