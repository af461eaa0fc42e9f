import * as api from "../api.js";
import { errorText, field, h } from "../ui.js";

function afterLogin() {
  const next = sessionStorage.getItem("after-login");
  sessionStorage.removeItem("after-login");
  location.hash = next && next.startsWith("#/") ? next : "#/projects";
}

function form(main, { title, submit, withName, action, other }) {
  const email = h("input", { type: "email", autocomplete: "email", required: true });
  const password = h("input", { type: "password", autocomplete: withName ? "new-password" : "current-password",
    required: true, minlength: withName ? 10 : 1 });
  const name = withName ? h("input", { type: "text", autocomplete: "name" }) : null;
  const error = h("p", { class: "error", role: "alert" });
  const button = h("button", { type: "submit" }, submit);
  const el = h("form", {
    class: "card narrow", onsubmit: async (event) => {
      event.preventDefault();
      error.textContent = "";
      button.disabled = true;
      try {
        await action(email.value.trim(), password.value, name ? name.value.trim() : "");
        afterLogin();
      } catch (err) {
        error.textContent = errorText(err);
      } finally {
        button.disabled = false;
      }
    },
  },
  h("h1", {}, title),
  withName ? field("name", "Name (optional)", name) : null,
  field("email", "Email", email),
  field("password", "Password", password, withName ? "At least 10 characters." : null),
  error, button, h("p", {}, other));
  main.append(el);
  email.focus();
}

export function loginScreen(main) {
  form(main, { title: "Log in", submit: "Log in", action: (e, p) => api.login(e, p),
    other: ["New here? ", h("a", { href: "#/register" }, "Create an account")] });
}

export function registerScreen(main) {
  form(main, { title: "Create your account", submit: "Sign up", withName: true, action: (e, p, n) => api.register(e, p, n),
    other: ["Have an account? ", h("a", { href: "#/login" }, "Log in")] });
}
