// The REST API (/v1, same origin). The access token lives in this module's memory only: never in
// localStorage or a readable cookie, so a script injected into the page finds nothing to steal
// that outlives the tab. The refresh token is an httpOnly, SameSite=Strict cookie on /v1/auth that
// this code can neither read nor write; a reload gets a new access token by POSTing to refresh.

const COOKIE_TRANSPORT = { "X-Refresh-Transport": "cookie" };
let accessToken = null;
let refreshing = null;
const listeners = new Set();

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function signedIn() {
  return accessToken !== null;
}

export function onAuthChange(fn) {
  listeners.add(fn);
}

function setToken(token) {
  const changed = (token === null) !== (accessToken === null);
  accessToken = token;
  if (changed) listeners.forEach((fn) => fn(signedIn()));
}

async function send(method, path, body, { auth = true, headers = {} } = {}) {
  const h = { ...headers };
  if (body !== undefined) h["Content-Type"] = "application/json";
  if (auth && accessToken) h.Authorization = `Bearer ${accessToken}`;
  return fetch(path, {
    method, headers: h, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function answer(r) {
  if (r.status === 204) return null;
  const type = r.headers.get("content-type") || "";
  const data = type.includes("json") ? await r.json() : null;
  if (!r.ok) {
    const e = (data && data.error) || {};
    throw new ApiError(r.status, e.code || `HTTP_${r.status}`, e.message || r.statusText, e.details);
  }
  return data;
}

export async function call(method, path, body, opts = {}) {
  let r = await send(method, path, body, opts);
  if (r.status === 401 && opts.auth !== false && (await refresh())) r = await send(method, path, body, opts);
  return answer(r);
}

// One refresh at a time: the server rotates the token on every use and treats two concurrent
// uses of one token as theft (the whole login is revoked), so parallel 401s share one request.
export function refresh() {
  if (!refreshing) {
    refreshing = (async () => {
      try {
        const r = await fetch("/v1/auth/refresh", { method: "POST", headers: COOKIE_TRANSPORT, credentials: "same-origin" });
        if (!r.ok) { setToken(null); return false; }
        setToken((await r.json()).access_token);
        return true;
      } catch {
        return false;
      } finally {
        refreshing = null;
      }
    })();
  }
  return refreshing;
}

export async function register(email, password, name) {
  const data = await answer(await send("POST", "/v1/auth/register", { email, password, name },
    { auth: false, headers: COOKIE_TRANSPORT }));
  setToken(data.tokens.access_token);
  return data.user;
}

export async function login(email, password) {
  const data = await answer(await send("POST", "/v1/auth/login", { email, password },
    { auth: false, headers: COOKIE_TRANSPORT }));
  setToken(data.access_token);
}

export async function logout() {
  try {
    await send("POST", "/v1/auth/logout", undefined, { auth: false, headers: COOKIE_TRANSPORT });
  } finally {
    setToken(null);
  }
}

// Media: URLs on this origin (what `filmstudio serve` gives) need the Bearer token, which <video>
// and <img> cannot send, so they are fetched here and shown from blob: URLs; other URLs (signed
// ones) are fetched plainly. Every blob URL is freed when the page moves on.
const blobs = new Set();

export async function blobUrl(url) {
  const sameOrigin = new URL(url, location.href).origin === location.origin;
  let r = await fetch(url, sameOrigin ? { headers: accessToken ? { Authorization: `Bearer ${accessToken}` } : {} } : {});
  if (r.status === 401 && sameOrigin && (await refresh())) {
    r = await fetch(url, { headers: { Authorization: `Bearer ${accessToken}` } });
  }
  if (!r.ok) throw new ApiError(r.status, `HTTP_${r.status}`, `could not load ${new URL(url, location.href).pathname}`);
  const made = URL.createObjectURL(await r.blob());
  blobs.add(made);
  return made;
}

export function releaseBlobs() {
  blobs.forEach((u) => URL.revokeObjectURL(u));
  blobs.clear();
}
