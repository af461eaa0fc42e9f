// The studio's router: hash routes, so the same files work at / (filmstudio serve) and under
// /web/ on CloudFront with no server-side rewrites.
import * as api from "./api.js";
import { clear, h } from "./ui.js";
import { loginScreen, registerScreen } from "./screens/auth.js";
import { projectsScreen } from "./screens/projects.js";
import { projectScreen } from "./screens/project.js";
import { creditsScreen } from "./screens/credits.js";

const ROUTES = [
  [/^#\/login$/, loginScreen, false],
  [/^#\/register$/, registerScreen, false],
  [/^#\/projects$/, projectsScreen, true],
  [/^#\/projects\/([A-Za-z0-9_-]{1,64})$/, projectScreen, true],
  [/^#\/credits$/, creditsScreen, true],
];

let leave = null; // the current screen's clean-up (stops polling)
let current = null; // the view the latest navigation draws into

function nav() {
  const el = document.getElementById("nav");
  if (!api.signedIn()) {
    clear(el, h("a", { href: "#/login" }, "Log in"), h("a", { href: "#/register" }, "Sign up"));
    return;
  }
  clear(el,
    h("a", { href: "#/projects" }, "Projects"),
    h("a", { href: "#/credits" }, "Credits"),
    h("button", { type: "button", class: "link", onclick: async () => { await api.logout(); location.hash = "#/login"; } },
      "Log out"));
}

async function route() {
  if (leave) { leave(); leave = null; }
  api.releaseBlobs();
  const hash = location.hash || "#/projects";
  const match = ROUTES.find(([re]) => re.test(hash));
  const main = document.getElementById("main");
  current = null;
  if (!match) {
    clear(main, h("h1", {}, "Not found"), h("p", {}, "There is no such page. ", h("a", { href: "#/projects" }, "Your projects")));
    return;
  }
  const [re, screen, needsAuth] = match;
  if (needsAuth && !api.signedIn()) {
    sessionStorage.setItem("after-login", hash); // a page address, not a credential
    location.hash = "#/login";
    return;
  }
  if (!needsAuth && api.signedIn()) { location.hash = "#/projects"; return; }
  // Each navigation draws into its own view: a screen still awaiting the API when the user (or
  // start()) navigates again finishes into a detached node, so a page is never drawn twice.
  const view = h("div", { class: "view" });
  clear(main, view);
  current = view;
  const cleanup = (await screen(view, ...hash.match(re).slice(1))) || null;
  if (current !== view) { if (cleanup) cleanup(); return; }
  leave = cleanup;
  main.focus({ preventScroll: true });
}

api.onAuthChange(nav);

async function start() {
  await api.refresh(); // a reload keeps the login through the httpOnly cookie, if there is one
  nav();
  window.addEventListener("hashchange", route);
  await route();
  document.body.dataset.ready = "1";
  performance.mark("studio-interactive"); // make bench: time to interactive of the first screen
}

start();
