import * as api from "../api.js";
import { errorText, h, when } from "../ui.js";

export async function creditsScreen(main) {
  main.append(h("h1", {}, "Credits"));
  try {
    const c = await api.call("GET", "/v1/me/credits?limit=100");
    main.append(
      h("p", { class: "balance" }, h("strong", { id: "available" }, String(c.available)), " credits available",
        c.held ? ` · ${c.held} held by ${c.active_jobs} job(s) in progress` : ""),
      h("div", { class: "table-wrap" }, h("table", { class: "ledger" },
        h("caption", {}, "Ledger, newest first"),
        h("thead", {}, h("tr", {}, ["When", "Movement", "Available", "Held", "Job", "Note"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, c.ledger.map((e) => h("tr", {},
          h("td", {}, when(e.created_at)), h("td", {}, e.kind), h("td", { class: "num" }, signed(e.amount)),
          h("td", { class: "num" }, signed(e.held_change)),
          h("td", {}, e.job_id || ""), h("td", {}, e.note || "")))))));
  } catch (err) {
    main.append(h("p", { class: "error", role: "alert" }, errorText(err)));
  }
}

function signed(n) {
  return n > 0 ? `+${n}` : String(n);
}
