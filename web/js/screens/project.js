// One project: write or upload the script, see the plan and its price, render with live progress
// and the storyboard as it is drawn, watch the film, change a scene and render again, and the jobs.
import * as api from "../api.js";
import { clear, errorText, field, h, seconds, toast, when } from "../ui.js";

const LANGUAGES = ("en es fr de pt it nl id tl sw tr pl ro vi hi mr ur fa ar ru uk zh ja ko ta te bn pa gu kn ml or si th he el "
  + "ka hy ne").split(" ");
const TERMINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);
const STAGE_NAMES = { analyze: "Analyse", plan: "Plan", storyboard: "Storyboard", motion: "Motion", speech: "Speech",
  music: "Music", compose: "Compose", publish: "Publish" };
const POLL_MS = 600;
const drafts = new Map(); // project id -> the editor's state, for this tab's lifetime only
let languageNames = null;

function languageName(code) {
  try {
    languageNames = languageNames || new Intl.DisplayNames(["en"], { type: "language" });
    return languageNames.of(code) || code;
  } catch { return code; }
}

export async function projectScreen(main, projectId) {
  let project;
  try {
    project = await api.call("GET", `/v1/projects/${projectId}`);
  } catch (err) {
    if (err.status === 404) {
      main.append(h("h1", {}, "Not found"),
        h("p", { class: "error", role: "alert", id: "not-found" }, "This project does not exist, or it is not yours."),
        h("p", {}, h("a", { href: "#/projects" }, "Back to your projects")));
      return;
    }
    main.append(h("p", { class: "error", role: "alert" }, errorText(err)));
    return;
  }

  const draft = drafts.get(projectId) || { script: "", language: project.language || "", tier: "preview", burn: false };
  drafts.set(projectId, draft);
  let planned = null; // {text, options, response} of the last plan shown
  let shownJob = null;
  let lastStatus = null; // of the job shown: the jobs table is reloaded when it changes
  let timer = null;
  let stopped = false;
  const panelBlobs = new Map(); // panel URL -> blob URL: each panel is fetched once

  // -- the script and its options -------------------------------------------------------------
  const editor = h("textarea", { rows: 16, spellcheck: "false", class: "script", value: draft.script,
    placeholder: "Paste a screenplay (Fountain), a story, or a one-line idea." });
  const file = h("input", { type: "file", accept: ".fountain,.txt,text/plain" });
  const language = h("select", {}, h("option", { value: "" }, "Detect automatically"),
    LANGUAGES.map((c) => h("option", { value: c }, `${languageName(c)} (${c})`)));
  language.value = draft.language;
  const tier = h("select", {}, h("option", { value: "preview" }, "Preview (fast, CPU)"),
    h("option", { value: "studio" }, "Studio (GPU)"));
  tier.value = draft.tier;
  const burn = h("input", { type: "checkbox", checked: draft.burn });
  const planButton = h("button", { type: "submit", id: "plan-button" }, "Show the plan");
  const renderButton = h("button", { type: "button", id: "render-button", disabled: true, onclick: render }, "Render");
  const scriptError = h("p", { class: "error", role: "alert", id: "script-error" });

  const options = () => ({ language: language.value || null, tier: tier.value, burn_subtitles: burn.checked });
  const stale = () => !planned || planned.text !== editor.value || JSON.stringify(planned.options) !== JSON.stringify(options());
  function onEdit() {
    Object.assign(draft, { script: editor.value, language: language.value, tier: tier.value, burn: burn.checked });
    renderButton.disabled = stale() || !planned.response.estimate.affordable;
    planNote.textContent = planned && stale() ? "The script or its options changed since this plan: show the plan again." : "";
  }
  editor.addEventListener("input", onEdit);
  [language, tier, burn].forEach((el) => el.addEventListener("change", onEdit));
  file.addEventListener("change", async () => {
    const chosen = file.files && file.files[0];
    if (!chosen) return;
    if (!/\.(fountain|txt)$/i.test(chosen.name)) { scriptError.textContent = "Choose a .fountain or .txt file."; return; }
    if (chosen.size > 1024 * 1024) { scriptError.textContent = "That file is over 1 MB; a script must be smaller."; return; }
    editor.value = await chosen.text(); // read here, in the browser: it goes to the API as the script's text
    scriptError.textContent = "";
    onEdit();
    toast(`Loaded ${chosen.name}`);
  });

  const scriptForm = h("form", { class: "card", id: "script-section", "aria-labelledby": "script-title", onsubmit: plan },
    h("h2", { id: "script-title" }, "Script"),
    field("script", "Script text", editor),
    field("script-file", "…or open a .fountain or .txt file", file),
    h("div", { class: "row" },
      field("language", "Language", language),
      field("tier", "Tier", tier),
      h("div", { class: "field check" }, burn, h("label", { for: "burn" }, "Burn subtitles into the picture"))),
    scriptError,
    h("div", { class: "row buttons" }, planButton, renderButton));
  burn.id = "burn";

  // -- sections filled later ------------------------------------------------------------------
  const planNote = h("p", { class: "warn", role: "status" });
  const planSection = h("section", { class: "card", id: "plan-section", hidden: true, "aria-labelledby": "plan-title" });
  const renderSection = h("section", { class: "card", id: "render-section", hidden: true, "aria-labelledby": "render-title" });
  const filmSection = h("section", { class: "card", id: "film-section", hidden: true, "aria-labelledby": "film-title" });
  const jobsSection = h("section", { class: "card", id: "jobs-section", "aria-labelledby": "jobs-title" });

  main.append(h("p", { class: "crumbs" }, h("a", { href: "#/projects" }, "Projects"), " / "),
    h("h1", { id: "project-name" }, project.name), scriptForm, planSection, renderSection, filmSection, jobsSection);

  // -- the plan ---------------------------------------------------------------------------------
  async function plan(event) {
    event.preventDefault();
    scriptError.textContent = "";
    if (!editor.value.trim()) { scriptError.textContent = "Write or paste a script first."; editor.focus(); return; }
    planButton.disabled = true;
    const text = editor.value;
    const opts = options();
    try {
      const response = await api.call("POST", `/v1/projects/${projectId}/plan`,
        { script: text, tier: opts.tier, language: opts.language });
      planned = { text, options: opts, response };
      showPlan(response);
      onEdit();
    } catch (err) {
      scriptError.textContent = errorText(err);
    } finally {
      planButton.disabled = false;
    }
  }

  function showPlan({ plan: p, estimate }) {
    const lang = p.language;
    const chosen = planned.options.language;
    const voices = Object.fromEntries(p.characters.map((c) => [c.id, c]));
    const cast = p.characters.filter((c) => !c.is_narrator || p.scenes.some((s) => s.lines.some((l) => l.character_id === c.id)));
    clear(planSection,
      h("h2", { id: "plan-title" }, p.title ? `Plan: ${p.title}` : "Plan"),
      planNote,
      h("p", { id: "plan-summary" },
        h("span", { id: "scene-count" }, `${p.scenes.length} scene${p.scenes.length === 1 ? "" : "s"}`), " · ",
        h("span", { id: "character-count" }, `${cast.length} character${cast.length === 1 ? "" : "s"}`), " · ",
        h("span", { id: "plan-duration", "data-seconds": p.duration }, seconds(p.duration)), " · ",
        `${languageName(lang.language)} (${lang.writing_system} script${lang.romanized ? ", romanised" : ""}), `,
        chosen ? "chosen by you" : `detected, ${Math.round(lang.confidence * 100)}% sure`),
      h("p", { id: "estimate", class: estimate.affordable ? "ok" : "error" },
        "Estimated cost: ", h("strong", { id: "estimate-credits" }, String(estimate.credits)), ` credits (${estimate.tier})`,
        " · your balance: ", h("strong", { id: "estimate-balance" }, String(estimate.available)),
        estimate.affordable ? "" : " — not enough credits for this render"),
      h("h3", {}, "Characters"),
      h("ul", { class: "cast", id: "characters" }, cast.map((c) => {
        const swatch = h("span", { class: "swatch", "aria-hidden": "true" });
        swatch.style.backgroundColor = (c.palette && c.palette[0]) || "#888";
        const v = c.voice;
        return h("li", { "data-character-id": c.id }, swatch, h("strong", {}, c.name),
          h("span", { class: "muted" }, ` colour ${(c.palette && c.palette[0]) || "none"} · voice: `
            + [v.gender, v.age_group, languageName(v.language), `pitch ${v.pitch}`, `${v.rate} wpm`].filter(Boolean).join(", ")));
      })),
      h("h3", {}, "Scenes"),
      h("ol", { class: "scenes", id: "plan-scenes" }, p.scenes.map((s) => h("li", { "data-scene-id": s.id, lang: s.language },
        h("h4", {}, s.heading || `Scene ${s.index + 1}`, h("span", { class: "muted" }, ` · ${seconds(s.duration)}`)),
        s.lines.length ? h("ul", { class: "lines" }, s.lines.map((l) => h("li", { lang: l.language },
          h("strong", {}, (voices[l.character_id] || { name: l.character_id }).name), ": ", l.text))) : null,
        h("div", { class: "table-wrap" }, h("table", { class: "shots" },
          h("caption", { class: "sr-only" }, `Shots of ${s.heading}`),
          h("thead", {}, h("tr", {}, ["Shot", "Framing", "Camera", "Duration", "What we see"].map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", {}, s.shots.map((sh) => h("tr", {},
            h("td", {}, String(sh.index + 1)), h("td", {}, sh.framing), h("td", {}, sh.camera.replace("_", " ")),
            h("td", { class: "num shot-duration" }, seconds(sh.duration)), h("td", {}, sh.description))))))))));
    planSection.hidden = false;
  }

  // -- render and progress ----------------------------------------------------------------------
  async function render() {
    if (stale()) return;
    renderButton.disabled = true;
    const { text, options: opts } = planned;
    try {
      const job = await api.call("POST", `/v1/projects/${projectId}/jobs`, { script: text, ...opts },
        { headers: { "Idempotency-Key": crypto.randomUUID() } });
      toast("Rendering started");
      watch(job.job_id);
      await loadJobs();
    } catch (err) {
      scriptError.textContent = errorText(err);
      renderButton.disabled = false;
    }
  }

  const status = h("p", { id: "job-status", role: "status" });
  const bar = h("progress", { id: "progress", max: 100, value: 0 });
  const stageList = h("ol", { class: "stages", id: "stages", "aria-label": "Stages" });
  const board = h("div", { class: "board", id: "board", "aria-label": "Storyboard" });

  function watch(jobId) {
    clearTimeout(timer);
    shownJob = jobId;
    lastStatus = null;
    renderSection.dataset.jobId = jobId;
    renderSection.dataset.status = "";
    filmSection.hidden = true;
    clear(renderSection, h("h2", { id: "render-title" }, "Render"), status,
      h("div", { class: "field" }, h("label", { for: "progress" }, "Progress"), bar), stageList, board);
    renderSection.hidden = false;
    clear(board);
    poll(jobId);
  }

  async function poll(jobId) {
    if (stopped || jobId !== shownJob) return;
    let job, scenes;
    try {
      [job, scenes] = await Promise.all([api.call("GET", `/v1/jobs/${jobId}`), api.call("GET", `/v1/jobs/${jobId}/scenes`)]);
    } catch (err) {
      status.textContent = errorText(err);
      timer = setTimeout(() => poll(jobId), POLL_MS * 3);
      return;
    }
    showProgress(job, scenes);
    if (job.status !== lastStatus) { lastStatus = job.status; if (!TERMINAL.has(job.status)) loadJobs(); }
    if (TERMINAL.has(job.status)) {
      loadJobs();
      if (job.status === "SUCCEEDED") showFilm(job);
      return;
    }
    timer = setTimeout(() => poll(jobId), POLL_MS);
  }

  function showProgress(job, view) {
    const pct = Math.round(job.progress);
    bar.value = pct;
    bar.textContent = `${pct}%`;
    renderSection.dataset.status = job.status;
    status.textContent = `${job.title || "Film"} · ${job.status.toLowerCase()}`
      + (job.stage && !TERMINAL.has(job.status) ? ` · ${STAGE_NAMES[job.stage] || job.stage}` : "")
      + ` · ${pct}%` + (job.eta_seconds && !TERMINAL.has(job.status) ? ` · about ${Math.ceil(job.eta_seconds)} s left` : "")
      + (job.error ? ` · failed at ${job.error.stage}: ${job.error.reason} [${job.error.code || "ERROR"}]` : "");
    status.dataset.progress = String(pct);
    clear(stageList, view.stages.map((s) => {
      const done = s.total !== null && s.done >= s.total;
      const state = done ? "done" : s.done ? "running" : (job.stage === s.stage && !TERMINAL.has(job.status) ? "running" : "waiting");
      return h("li", { class: `stage ${state}`, "data-stage": s.stage },
        h("span", { class: "name" }, STAGE_NAMES[s.stage] || s.stage),
        h("span", { class: "muted" }, s.total ? ` ${s.done}/${s.total}` : ""),
        s.reused && !s.rendered ? h("span", { class: "muted" }, " (reused)") : null);
    }));
    for (const scene of view.scenes) showScene(scene);
  }

  function showScene(scene) {
    let card = board.querySelector(`[data-scene-id="${scene.scene_id}"]`);
    if (!card) {
      card = h("article", { class: "scene-card", "data-scene-id": scene.scene_id },
        h("h3", {}, `${scene.index + 1}. ${scene.heading}`), h("span", { class: "badge" }),
        h("div", { class: "panels" }, scene.shots.map((s) => h("figure", { "data-shot-id": s.shot_id },
          h("div", { class: "panel-placeholder", "aria-hidden": "true" }),
          h("figcaption", {}, `Shot ${s.index + 1} · ${seconds(s.duration)}`)))));
      board.append(card);
    }
    card.dataset.state = scene.state;
    const words = { waiting: "waiting", rendering: "rendering…", rendered: `rendered (${scene.rendered} new, ${scene.reused} reused)`,
      reused: "reused, nothing re-rendered", incomplete: "not finished" };
    card.querySelector(".badge").textContent = words[scene.state] || scene.state;
    card.querySelector(".badge").className = `badge ${scene.state}`;
    for (const shot of scene.shots) {
      const fig = card.querySelector(`[data-shot-id="${shot.shot_id}"]`);
      if (!shot.panel || !fig || fig.querySelector("img") || panelBlobs.has(shot.panel)) continue;
      panelBlobs.set(shot.panel, null);
      api.blobUrl(shot.panel).then((url) => {
        panelBlobs.set(shot.panel, url);
        fig.querySelector(".panel-placeholder").replaceWith(h("img", { src: url, alt: `Storyboard panel: ${shot.description}`,
          class: "panel", width: 320, height: 180 }));
      }, () => panelBlobs.delete(shot.panel));
    }
  }

  // -- the film ---------------------------------------------------------------------------------
  async function showFilm(job) {
    const o = job.outputs;
    clear(filmSection, h("h2", { id: "film-title" }, "Film"), h("p", { class: "muted" }, "Loading the film…"));
    filmSection.hidden = false;
    try {
      const [film, vtt, srt, sheet] = await Promise.all([o.film, o.vtt, o.srt, o.contact_sheet].map((u) => api.blobUrl(u)));
      const video = h("video", { id: "film", controls: true, preload: "auto", playsinline: true, width: 1280, height: 720,
        "data-duration": job.duration },
      h("track", { kind: "subtitles", src: vtt, srclang: job.language || "en", label: languageName(job.language || "en"), default: true }));
      video.src = film;
      const base = (job.title || "film").replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-|-$/g, "") || "film";
      clear(filmSection, h("h2", { id: "film-title" }, job.title || "Film"), video,
        h("p", { class: "downloads" }, "Download: ",
          h("a", { href: film, download: `${base}.mp4`, id: "download-mp4" }, "MP4"), " · ",
          h("a", { href: srt, download: `${base}.srt`, id: "download-srt" }, "SRT subtitles"), " · ",
          h("a", { href: vtt, download: `${base}.vtt`, id: "download-vtt" }, "VTT subtitles")),
        h("h3", {}, "Contact sheet"),
        h("img", { src: sheet, alt: `Contact sheet of ${job.title || "the film"}: one frame of every shot`, class: "sheet", id: "contact-sheet" }));
    } catch (err) {
      clear(filmSection, h("h2", { id: "film-title" }, "Film"), h("p", { class: "error", role: "alert" }, errorText(err)));
    }
  }

  // -- jobs -------------------------------------------------------------------------------------
  async function loadJobs() {
    let page;
    try {
      page = await api.call("GET", `/v1/projects/${projectId}/jobs?limit=50`);
    } catch (err) {
      clear(jobsSection, h("h2", { id: "jobs-title" }, "Jobs"), h("p", { class: "error" }, errorText(err)));
      return [];
    }
    clear(jobsSection, h("h2", { id: "jobs-title" }, "Jobs"),
      page.items.length ? h("div", { class: "table-wrap" }, h("table", { class: "jobs", id: "jobs" },
        h("thead", {}, h("tr", {}, ["Started", "Status", "Credits", "Problem", ""].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, page.items.map((j) => h("tr", { "data-job-id": j.job_id, "data-status": j.status },
          h("td", {}, when(j.created_at)),
          h("td", { class: "job-status" }, j.status.toLowerCase(), TERMINAL.has(j.status) ? "" : ` ${Math.round(j.progress)}%`),
          h("td", { class: "num" }, String(j.credits.estimate)),
          h("td", { class: "job-error" }, j.error ? `${STAGE_NAMES[j.error.stage] || j.error.stage}: ${j.error.reason} [${j.error.code || "ERROR"}]` : ""),
          h("td", { class: "actions" },
            h("button", { type: "button", class: "secondary", onclick: () => watch(j.job_id), "aria-label": `Show job ${j.job_id}` }, "Show"),
            TERMINAL.has(j.status) ? null : h("button", { type: "button", class: "danger", "aria-label": `Cancel job ${j.job_id}`,
              onclick: () => cancel(j.job_id) }, "Cancel")))))))
        : h("p", { class: "muted" }, "No renders yet."));
    return page.items;
  }

  async function cancel(jobId) {
    try {
      await api.call("POST", `/v1/jobs/${jobId}/cancel`);
      toast("Job cancelled; its credits are refunded");
    } catch (err) { toast(errorText(err), "error"); }
    await loadJobs();
  }

  const jobs = await loadJobs();
  if (jobs.length) watch(jobs[0].job_id);
  (draft.script ? editor : scriptForm.querySelector("textarea")).focus();
  return () => { stopped = true; clearTimeout(timer); };
}
