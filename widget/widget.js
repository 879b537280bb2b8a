/*
 * SEND rights assistant: the embeddable web chat widget.
 *
 * Embed with one line (the API address is worked out from this script's own address):
 *   <script src="https://host/webhooks/webchat/widget.js" data-partner="example" defer></script>
 *
 * Plain JavaScript, no framework, no build step. It talks only to the server it was loaded from
 * (see the web chat contract: /session, /message, /feedback, /clear, /summary, /partner/<id>).
 * Everything is drawn inside an open Shadow DOM so the host page's CSS and ours never meet.
 * Message text is never parsed as HTML: a small Markdown subset is turned into DOM nodes with
 * createElement and textContent, and only http(s), tel: and mailto: links are made clickable.
 *
 * Optional script attributes:
 *   data-partner   partner id (default "default"): branding, welcome and privacy notice
 *   data-exit-url  where "Leave this site" goes (http or https; default BBC Weather)
 */
(() => {
  "use strict";

  if (window.__sendRightsAssistantWidget) return; // loaded twice on one page: keep the first
  window.__sendRightsAssistantWidget = true;

  const script =
    document.currentScript ||
    Array.from(document.querySelectorAll("script[src]")).find((s) => /\/widget\.js(?:[?#]|$)/.test(s.src));
  if (!script) return;

  const scriptUrl = new URL(script.src, document.baseURI);
  const API = scriptUrl.origin + scriptUrl.pathname.replace(/\/widget\.js$/, "");
  const rawPartner = (script.getAttribute("data-partner") || "default").trim();
  const PARTNER_ID = /^[A-Za-z0-9_-]{1,64}$/.test(rawPartner) ? rawPartner : "default";
  const EXIT_URL = safeUrl(script.getAttribute("data-exit-url") || "") || "https://www.bbc.co.uk/weather";

  const STORE_KEY = `send-assistant:${PARTNER_ID}:conversation`;
  const SIZE_KEY = "send-assistant:text-size";
  const SIZES = [0.875, 1, 1.125, 1.25, 1.5];
  const REQUEST_TIMEOUT_MS = 60000;
  // A long answer shows at most this many of its messages without buttons at first (each at most about
  // 600 characters, see bot/content/render.py); "Show more" opens the rest where they belong. Messages with
  // buttons and the answer's last message (what to do next) are always shown.
  const SHOWN_MESSAGES = 4;

  const TEXT = {
    network:
      "Sorry, I can't reach the assistant just now. Please check your internet connection and try again in a moment.",
    server: "Sorry, something went wrong on our side. Please try again in a minute.",
    generic: "Sorry, that didn't work. Please try again.",
    timeout: "Sorry, the answer is taking too long. Please try again in a minute.",
    empty: "Sorry, I don't have an answer for that. Could you tell me a bit more about what is happening?",
    names:
      "Just so you know, you don't need to give names here: I can help just as well without them. I take out " +
      "the names I spot before our conversation is saved.",
  };

  const DEFAULT_PARTNER = {
    id: PARTNER_ID,
    display_name: "SEND rights assistant",
    colours: { primary: "#1d4f91", on_primary: "#ffffff", accent: "#ffbf47" },
    logo_url: null,
    welcome:
      "Hello. Tell me in your own words what is happening with your child's education, support or care, " +
      "and I will explain what the law in England says and what you can do.",
    privacy_notice:
      "What you type here is stored on our server so the assistant can answer you, and it is deleted after a " +
      "set time. You never need to give names: please leave out your child's name, your name and the school's name.",
    retention_days: null,
  };

  // ---------------------------------------------------------------- small helpers

  function safeUrl(value) {
    try {
      const url = new URL(String(value));
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch {
      return null;
    }
  }

  /** Create an element. Strings among the children become text nodes, never markup. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") el.className = value;
      else if (key === "text") el.textContent = value;
      else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) el.append(child);
    }
    return el;
  }

  const SVG_NS = "http://www.w3.org/2000/svg";
  function icon(paths, size = 20) {
    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", String(size));
    svg.setAttribute("height", String(size));
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    for (const d of paths) {
      const path = document.createElementNS(SVG_NS, "path");
      path.setAttribute("d", d);
      svg.append(path);
    }
    return svg;
  }
  const ICON_CHAT = ["M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"];
  const ICON_CLOSE = ["M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z"];
  const ICON_SEND = ["M3 20.5 21 12 3 3.5 3 10l12 2-12 2z"];

  const storage = {
    get(key) {
      try {
        return window.sessionStorage.getItem(key);
      } catch {
        return null;
      }
    },
    set(key, value) {
      try {
        window.sessionStorage.setItem(key, value);
      } catch {
        /* storage full or blocked: the chat still works, it just won't survive a reload */
      }
    },
    remove(key) {
      try {
        window.sessionStorage.removeItem(key);
      } catch {
        /* nothing stored */
      }
    },
  };

  const reducedMotion = () => window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  // ---------------------------------------------------------------- colours (WCAG contrast)

  function parseHex(value) {
    const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(value || "").trim());
    if (!m) return null;
    let hex = m[1];
    if (hex.length === 3) hex = hex.replace(/./g, (c) => c + c);
    return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  }
  function luminance(rgb) {
    const [r, g, b] = rgb.map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  function contrast(a, b) {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  }
  const WHITE = [255, 255, 255];
  const BOT_BUBBLE = [242, 244, 247]; // --sa-bot-bg

  /** Partner colours, corrected where they would make text hard to read (4.5:1 or better). */
  function paletteFor(colours) {
    const fallback = DEFAULT_PARTNER.colours;
    const primaryHex = parseHex(colours && colours.primary) ? colours.primary : fallback.primary;
    const primary = parseHex(primaryHex);
    let onPrimaryHex = parseHex(colours && colours.on_primary) ? colours.on_primary : fallback.on_primary;
    if (contrast(primary, parseHex(onPrimaryHex)) < 4.5) {
      onPrimaryHex = contrast(primary, WHITE) >= contrast(primary, [11, 12, 12]) ? "#ffffff" : "#0b0c0c";
    }
    const readableOnLight = contrast(primary, WHITE) >= 4.5 && contrast(primary, BOT_BUBBLE) >= 4.5;
    const accentHex = parseHex(colours && colours.accent) ? colours.accent : fallback.accent;
    return {
      primary: primaryHex,
      onPrimary: onPrimaryHex,
      link: readableOnLight ? primaryHex : "#1d4f91",
      accent: accentHex,
    };
  }

  // ---------------------------------------------------------------- safe Markdown subset

  // A backslash keeps the next character as text ("\[1989\]" in a case name), also inside a link's label.
  const INLINE =
    /\\([\\[\]()*_])|\*\*(.+?)\*\*|\[((?:\\.|[^\\\]\n])+)\]\(([^()\s]+)\)|(https?:\/\/[^\s<>()]*[^\s<>().,;:!?'"])/g;
  const unescape = (text) => String(text).replace(/\\([\\[\]()*_])/g, "$1");
  // "Sources: [1](https://...) [2](https://...)" under a message: its numbered source links, shown small.
  const CITES = /^((?:More s|S)ources?): ((?:\[\d{1,3}\]\([^()\s]+\)\s*)+)$/;

  // Download links from the assistant (letters, calendar) are relative and need this conversation's token.
  const DOWNLOAD_PATH = "/webhooks/webchat/download/";

  function downloadUrl(href) {
    const file = String(href).slice(DOWNLOAD_PATH.length);
    return safeUrl(`${API}/download/${file}?token=${encodeURIComponent(state.token || "")}`);
  }

  // One tap on a phone: a phone number (tel:+441133785020, 111) or an e-mail address (mailto:), checked
  // strictly so a message can never smuggle in another kind of link. They open in place, not a new tab.
  const TAP_LINK = /^(?:tel:\+?[0-9]{3,15}|mailto:[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$/;

  function link(label, href) {
    if (TAP_LINK.test(String(href))) return h("a", { href: String(href), class: "tap-link" }, label);
    const url = String(href).startsWith(DOWNLOAD_PATH) ? downloadUrl(href) : safeUrl(href);
    if (!url) return null;
    return h(
      "a",
      { href: url, target: "_blank", rel: "noopener noreferrer" },
      label,
      h("span", { class: "sr-only" }, " (opens in a new tab)"),
    );
  }

  /** **bold**, [text](https://...), download links and bare https:// addresses; everything else stays text. */
  function inline(text) {
    const frag = document.createDocumentFragment();
    let last = 0;
    for (const m of String(text).matchAll(INLINE)) {
      if (m.index > last) frag.append(text.slice(last, m.index));
      if (m[1] !== undefined) frag.append(m[1]);
      else if (m[2] !== undefined) frag.append(h("strong", null, inline(m[2])));
      else if (m[3] !== undefined) frag.append(link(unescape(m[3]), m[4]) || unescape(m[0]));
      else frag.append(link(m[5], m[5]) || m[0]);
      last = m.index + m[0].length;
    }
    if (last < text.length) frag.append(text.slice(last));
    return frag;
  }

  /** A message's numbered source links, as a small line: "Sources: 1 2", each read out as "source 1". */
  function cites(label, links) {
    const line = h("p", { class: "cites" }, `${label}: `);
    for (const m of links.matchAll(/\[(\d{1,3})\]\(([^()\s]+)\)/g)) {
      const a = link(m[1], m[2]);
      if (!a) continue;
      a.prepend(h("span", { class: "sr-only" }, "source "));
      line.append(a, " ");
    }
    return line;
  }

  /** Paragraphs, "- " bullets, "1. " numbered lists and "> " quotes, built as DOM nodes. */
  function renderMarkdown(source) {
    const frag = document.createDocumentFragment();
    let para = null;
    let list = null;
    let listTag = "";
    let item = null;
    let quote = null;
    const reset = () => {
      para = list = item = quote = null;
      listTag = "";
    };
    const appendLine = (el, content) => {
      if (el.childNodes.length) el.append(h("br"));
      el.append(content);
    };

    for (const raw of String(source || "").replace(/\r\n?/g, "\n").split("\n")) {
      const line = raw.replace(/\s+$/, "");
      const trimmed = line.trim();
      if (!trimmed) {
        reset();
        continue;
      }
      const indented = /^\s/.test(line);
      let m;

      if (indented && item) {
        // A line under a list item: a quote, a nested bullet or more text of the same item.
        if ((m = /^>\s?(.*)$/.exec(trimmed))) {
          let inner = item.lastElementChild;
          if (!inner || inner.tagName !== "BLOCKQUOTE") {
            inner = h("blockquote");
            item.append(inner);
          }
          appendLine(inner, inline(m[1]));
        } else if ((m = /^(?:[-*]|\d{1,3}[.)])\s+(.*)$/.exec(trimmed))) {
          let inner = item.lastElementChild;
          if (!inner || inner.tagName !== "UL") {
            inner = h("ul");
            item.append(inner);
          }
          inner.append(h("li", null, inline(m[1])));
        } else {
          item.append(h("br"), inline(trimmed));
        }
        continue;
      }

      if ((m = /^[-*]\s+(.*)$/.exec(trimmed)) || (m = /^(\d{1,3})[.)]\s+(.*)$/.exec(trimmed))) {
        const ordered = m.length === 3;
        const tag = ordered ? "ol" : "ul";
        if (!list || listTag !== tag) {
          reset();
          list = h(tag);
          listTag = tag;
          if (ordered && m[1] !== "1") list.setAttribute("start", String(parseInt(m[1], 10)));
          frag.append(list);
        }
        item = h("li", null, inline(ordered ? m[2] : m[1]));
        // A numbered list keeps its own numbers: a "Sources" list may skip some (1, 2, 4).
        if (ordered) item.setAttribute("value", String(parseInt(m[1], 10)));
        list.append(item);
        continue;
      }
      if (!indented && (m = CITES.exec(trimmed))) {
        reset();
        frag.append(cites(m[1], m[2]));
        continue;
      }
      if ((m = /^>\s?(.*)$/.exec(trimmed))) {
        if (!quote) {
          reset();
          quote = h("blockquote");
          frag.append(quote);
        }
        appendLine(quote, inline(m[1]));
        continue;
      }
      if ((m = /^#{1,6}\s+(.*)$/.exec(trimmed))) {
        reset();
        frag.append(h("p", { class: "heading" }, h("strong", null, inline(m[1]))));
        continue;
      }
      if (!para) {
        reset();
        para = h("p");
        frag.append(para);
      }
      appendLine(para, inline(trimmed));
    }
    return frag;
  }

  // ---------------------------------------------------------------- server calls

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  function kindText(data) {
    if (!data || !Array.isArray(data.messages)) return "";
    return data.messages
      .map((m) => (m && typeof m.text === "string" ? m.text.trim() : ""))
      .filter(Boolean)
      .join("\n\n");
  }

  async function request(method, path, body) {
    const controller = typeof AbortController === "function" ? new AbortController() : null;
    const timer = controller ? setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS) : null;
    let response;
    try {
      response = await fetch(API + path, {
        method,
        headers: body ? { "Content-Type": "application/json" } : {},
        body: body ? JSON.stringify(body) : undefined,
        credentials: "omit",
        cache: "no-store",
        signal: controller ? controller.signal : undefined,
      });
    } catch (error) {
      throw new ApiError(0, error && error.name === "AbortError" ? TEXT.timeout : TEXT.network);
    } finally {
      if (timer) clearTimeout(timer);
    }
    return response;
  }

  // The kind words a refused request came back with (the server's own), else a general one.
  async function refusal(response) {
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    return new ApiError(response.status, kindText(data) || (response.status >= 500 ? TEXT.server : TEXT.generic));
  }

  async function requestJson(method, path, body) {
    const response = await request(method, path, body);
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (!response.ok) {
      const fallback = response.status >= 500 ? TEXT.server : TEXT.generic;
      throw new ApiError(response.status, kindText(data) || fallback);
    }
    if (!data || typeof data !== "object") throw new ApiError(response.status, TEXT.server);
    return data;
  }

  // ---------------------------------------------------------------- state

  const state = {
    partner: DEFAULT_PARTNER,
    partnerLoaded: false,
    token: null,
    accepted: false,
    open: false,
    busy: false,
    messages: [], // {id, from: "bot"|"user", text, buttons, used, articleId, feedback, welcome, error, folded, more}
    size: 1,
    namesNoted: false, // the "no need for names" note was given in this conversation (it comes once)
  };
  let nextId = 1;

  function restore() {
    const sizeIndex = parseInt(storage.get(SIZE_KEY) || "", 10);
    if (SIZES[sizeIndex]) state.size = SIZES[sizeIndex];
    let saved = null;
    try {
      saved = JSON.parse(storage.get(STORE_KEY) || "null");
    } catch {
      saved = null;
    }
    if (!saved || saved.v !== 1 || !Array.isArray(saved.messages)) return;
    state.token = typeof saved.token === "string" ? saved.token : null;
    state.accepted = Boolean(saved.accepted);
    state.open = Boolean(saved.open);
    state.namesNoted = Boolean(saved.namesNoted);
    state.messages = saved.messages
      .filter((m) => m && (m.from === "bot" || m.from === "user") && typeof m.text === "string")
      .map((m) => ({
        id: nextId++,
        from: m.from,
        text: m.text,
        buttons: Array.isArray(m.buttons)
          ? m.buttons.filter((b) => b && typeof b.title === "string" && typeof b.payload === "string")
          : [],
        used: typeof m.used === "number" ? m.used : null,
        articleId: typeof m.articleId === "string" ? m.articleId : null,
        feedback: ["sent", null].includes(m.feedback) ? m.feedback : null,
        welcome: Boolean(m.welcome),
        folded: Boolean(m.folded),
        more: Number.isInteger(m.more) ? m.more : 0,
      }));
  }

  /** Nothing is kept in the browser until the parent has sent a message. */
  function save() {
    const kept = state.messages.filter((m) => !m.error);
    if (!kept.some((m) => m.from === "user")) {
      storage.remove(STORE_KEY);
      return;
    }
    const messages = kept.map((m) => ({
      from: m.from,
      text: m.text,
      buttons: m.buttons,
      used: m.used,
      articleId: m.articleId,
      feedback: m.feedback === "sent" ? "sent" : null,
      welcome: m.welcome,
      folded: m.folded,
      more: m.more,
    }));
    storage.set(
      STORE_KEY,
      JSON.stringify({
        v: 1,
        token: state.token,
        accepted: state.accepted,
        open: state.open,
        namesNoted: state.namesNoted,
        messages,
      }),
    );
  }

  // ---------------------------------------------------------------- styles

  const CSS = `
:host { all: initial; }
.root {
  --sa-primary: #1d4f91; --sa-on-primary: #ffffff; --sa-link: #1d4f91; --sa-accent: #ffbf47;
  --sa-text: #1b1d20; --sa-muted: #4b5058; --sa-bot-bg: #f2f4f7; --sa-border: #c5cbd3;
  --sa-focus: #0b0c0c; --sa-scale: 1;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", "DejaVu Sans", sans-serif;
  font-size: 16px; font-weight: 400; font-style: normal; line-height: 1.5; color: var(--sa-text);
  letter-spacing: normal; word-spacing: normal; text-align: left; text-transform: none; text-indent: 0;
  text-shadow: none; white-space: normal; direction: ltr; visibility: visible;
  -webkit-font-smoothing: antialiased;
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
.sr-only {
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0;
}
button, textarea { font: inherit; color: inherit; letter-spacing: inherit; margin: 0; }
button { cursor: pointer; -webkit-appearance: none; appearance: none; text-transform: none; }
button:disabled { cursor: default; }
:focus { outline: none; }
:focus-visible { outline: 3px solid var(--sa-focus); outline-offset: 2px; }
a:focus-visible { outline-offset: 1px; background: #ffdd00; color: #0b0c0c; text-decoration: none; box-shadow: 0 3px 0 #0b0c0c; }

.launcher {
  position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;
  display: inline-flex; align-items: center; gap: 10px; min-height: 52px; padding: 12px 20px 12px 16px;
  border: 2px solid var(--sa-on-primary); border-radius: 999px;
  background: var(--sa-primary); color: var(--sa-on-primary);
  font-size: 16px; font-weight: 700; line-height: 1.2;
  box-shadow: 0 6px 18px rgba(0, 0, 0, 0.28);
}
.launcher svg { fill: currentColor; flex: none; }
.launcher:hover { filter: brightness(1.08); }
.launcher:focus-visible { outline: 3px solid #ffdd00; outline-offset: 0; box-shadow: 0 0 0 6px #0b0c0c; }

.panel {
  position: fixed; right: 20px; bottom: 88px; z-index: 2147483001;
  width: 400px; max-width: calc(100vw - 40px); height: 660px; max-height: calc(100vh - 108px);
  display: flex; flex-direction: column; overflow: hidden; overflow: clip;
  background: #ffffff; color: var(--sa-text); border: 1px solid rgba(0, 0, 0, 0.14); border-radius: 14px;
  box-shadow: 0 16px 48px rgba(0, 0, 0, 0.3);
  font-size: calc(16px * var(--sa-scale));
}
.root.animate .panel:not([hidden]) { animation: sa-rise 160ms ease-out; }
@keyframes sa-rise { from { opacity: 0; transform: translateY(12px); } to { opacity: 1; transform: none; } }

.header {
  flex: none; display: flex; align-items: center; gap: 10px; padding: 10px 10px 10px 14px;
  background: var(--sa-primary); color: var(--sa-on-primary); border-bottom: 4px solid var(--sa-accent);
}
.header :focus-visible { outline-color: var(--sa-on-primary); }
.logo { flex: none; width: 36px; height: 36px; border-radius: 8px; background: #ffffff; object-fit: contain; padding: 3px; }
.titles { flex: 1; min-width: 0; }
.title { margin: 0; font-size: 1.05em; font-weight: 700; line-height: 1.25; }
.subtitle { margin: 0; font-size: 0.8em; line-height: 1.3; }
.icon-button {
  flex: none; display: inline-flex; align-items: center; justify-content: center;
  width: 44px; height: 44px; padding: 0; border: 0; border-radius: 8px; background: transparent;
}
.icon-button svg { fill: currentColor; }
.header .icon-button:hover { background: rgba(255, 255, 255, 0.16); }

.toolbar {
  flex: none; display: flex; align-items: center; justify-content: space-between; gap: 8px; flex-wrap: wrap;
  padding: 6px 10px; background: #f7f8fa; border-bottom: 1px solid var(--sa-border); font-size: 0.875em;
}
.exit {
  min-height: 36px; padding: 4px 12px; border: 2px solid #0b0c0c; border-radius: 6px;
  background: #ffffff; color: #0b0c0c; font-weight: 700;
}
.exit:hover { background: #0b0c0c; color: #ffffff; }
.help-now {
  min-height: 36px; padding: 4px 12px; border: 2px solid #b3261e; border-radius: 6px;
  background: #ffffff; color: #b3261e; font-weight: 700;
}
.help-now:hover { background: #b3261e; color: #ffffff; }
.notice-danger { font-weight: 700; }
.sizes { display: flex; align-items: center; gap: 6px; color: var(--sa-muted); }
.size-button {
  min-width: 40px; min-height: 36px; padding: 2px 8px; border: 1px solid #6b717a; border-radius: 6px;
  background: #ffffff; color: var(--sa-text); font-weight: 700; line-height: 1;
}
.size-button:hover:not(:disabled) { background: #e9edf2; }
.size-button:disabled { color: #6b717a; border-color: #c5cbd3; }

.body { position: relative; flex: 1; min-height: 0; display: flex; flex-direction: column; }
.log {
  position: relative; flex: 1; min-height: 0; overflow-y: auto; overscroll-behavior: contain;
  display: flex; flex-direction: column; gap: 10px; padding: 14px 12px;
}
.msg {
  max-width: 90%; padding: 10px 13px; border-radius: 14px; overflow-wrap: anywhere; word-break: normal;
}
.msg.bot { align-self: flex-start; background: var(--sa-bot-bg); color: var(--sa-text); border-bottom-left-radius: 4px; }
.msg.user {
  align-self: flex-end; background: var(--sa-primary); color: var(--sa-on-primary);
  border-bottom-right-radius: 4px; white-space: pre-wrap;
}
.msg.error { background: #fdf2f1; color: #5c130e; border: 1px solid #c9362a; }
.msg p { margin: 0 0 0.5em; }
.msg > :last-child, .msg li > :last-child { margin-bottom: 0; }
.msg p.heading { margin-top: 0.25em; }
.msg ul, .msg ol { margin: 0.25em 0 0.5em; padding-left: 1.35em; }
.msg li { margin: 0.25em 0; }
.msg blockquote {
  margin: 0.4em 0; padding: 0.45em 0.75em; background: #ffffff; border-left: 4px solid var(--sa-link);
  border-radius: 0 6px 6px 0;
}
.msg a { color: var(--sa-link); text-decoration: underline; text-underline-offset: 2px; }
.msg a:hover { text-decoration-thickness: 3px; }
.msg p.cites { margin: 0.4em 0 0; font-size: 0.8125em; color: var(--sa-muted); }
.msg p.cites a { display: inline-block; min-width: 24px; min-height: 24px; padding: 0 2px; text-align: center; }
.more {
  align-self: flex-start; min-height: 40px; padding: 6px 14px; border: 2px dashed var(--sa-link); border-radius: 999px;
  background: #ffffff; color: var(--sa-link); font-size: 0.95em; font-weight: 600; line-height: 1.3;
}
.more:hover { background: #eaf0f8; }

.replies { align-self: flex-start; display: flex; flex-wrap: wrap; gap: 8px; max-width: 100%; margin-top: -2px; }
.reply {
  min-height: 40px; padding: 6px 14px; border: 2px solid var(--sa-link); border-radius: 999px;
  background: #ffffff; color: var(--sa-link); font-size: 0.95em; font-weight: 600; line-height: 1.3; text-align: left;
}
.reply:hover:not(:disabled) { background: #eaf0f8; }
.reply:disabled { border-color: #c5cbd3; color: #5a6069; background: #ffffff; }
.reply.chosen:disabled { border-color: #8b929b; background: #e4e8ee; color: #2b2f34; }

.feedback {
  align-self: flex-start; display: flex; flex-wrap: wrap; align-items: center; gap: 6px 8px;
  max-width: 90%; font-size: 0.875em; color: var(--sa-muted);
}
.feedback p { margin: 0; }
.fb-button {
  min-height: 32px; padding: 3px 12px; border: 1px solid #6b717a; border-radius: 6px;
  background: #ffffff; color: var(--sa-text);
}
.fb-button:hover { background: #e9edf2; }
.fb-button[aria-pressed="true"] { background: var(--sa-primary); border-color: var(--sa-primary); color: var(--sa-on-primary); }
.fb-form { flex-basis: 100%; display: flex; flex-direction: column; gap: 6px; }
.fb-form label { color: var(--sa-text); font-weight: 600; }
.fb-form textarea {
  width: 100%; min-height: 64px; padding: 8px; border: 2px solid #6b717a; border-radius: 6px;
  background: #ffffff; color: var(--sa-text); resize: vertical;
}
.fb-form .hint { color: var(--sa-muted); }
.fb-reasons { margin: 0; padding: 4px 8px 6px; border: 1px solid #c5cbd3; border-radius: 6px; color: var(--sa-text); }
.fb-reasons legend { font-weight: 600; padding: 0 4px; }
.fb-form .fb-choice { display: flex; align-items: center; gap: 6px; min-height: 32px; font-weight: 400; }
.fb-send {
  align-self: flex-start; min-height: 36px; padding: 4px 14px; border: 0; border-radius: 6px;
  background: var(--sa-primary); color: var(--sa-on-primary); font-weight: 700;
}
.fb-thanks { color: var(--sa-text); font-weight: 600; }
.fb-error { color: #5c130e; flex-basis: 100%; }

.typing {
  align-self: flex-start; display: inline-flex; gap: 5px; align-items: center;
  padding: 14px 16px; background: var(--sa-bot-bg); border-radius: 14px; border-bottom-left-radius: 4px;
}
.typing span { width: 8px; height: 8px; border-radius: 50%; background: #5a6069; animation: sa-dot 1.2s infinite ease-in-out; }
.typing span:nth-child(2) { animation-delay: 0.15s; }
.typing span:nth-child(3) { animation-delay: 0.3s; }
@keyframes sa-dot { 0%, 80%, 100% { opacity: 0.35; transform: translateY(0); } 40% { opacity: 1; transform: translateY(-4px); } }

.notice { flex: 1; min-height: 0; overflow-y: auto; padding: 18px 16px; }
.notice h2 { margin: 0 0 0.5em; font-size: 1.15em; line-height: 1.3; }
.notice .notice-text { margin-bottom: 1em; }
.notice .notice-text p { margin: 0 0 0.6em; }
.primary-button {
  min-height: 44px; padding: 8px 22px; border: 0; border-radius: 8px;
  background: var(--sa-primary); color: var(--sa-on-primary); font-weight: 700;
}
.primary-button:hover, .send:hover, .fb-send:hover { filter: brightness(1.1); }

.confirm {
  flex: none; margin: 0 10px 8px; padding: 10px 12px; border: 2px solid #c9362a; border-radius: 8px;
  background: #fdf2f1; color: #3d0c08;
}
.confirm p { margin: 0 0 8px; }
.confirm .actions { display: flex; flex-wrap: wrap; gap: 8px; }
.danger { min-height: 40px; padding: 6px 14px; border: 0; border-radius: 6px; background: #b3261e; color: #ffffff; font-weight: 700; }
.secondary {
  min-height: 40px; padding: 6px 14px; border: 2px solid #4b5058; border-radius: 6px;
  background: #ffffff; color: var(--sa-text); font-weight: 600;
}

.composer { position: relative; flex: none; padding: 8px 12px 6px; border-top: 1px solid var(--sa-border); background: #ffffff; }
.composer label { display: block; margin-bottom: 4px; font-size: 0.875em; font-weight: 700; }
.composer .row { display: flex; align-items: flex-end; gap: 8px; }
.input {
  flex: 1; min-width: 0; min-height: 46px; max-height: 9em; padding: 10px 11px; resize: none; overflow-y: auto;
  border: 2px solid #5a6069; border-radius: 10px; background: #ffffff; color: var(--sa-text); line-height: 1.4;
}
.input:focus-visible { outline-offset: 1px; border-color: var(--sa-focus); }
.send {
  flex: none; display: inline-flex; align-items: center; gap: 6px; min-height: 46px; padding: 8px 14px;
  border: 0; border-radius: 10px; background: var(--sa-primary); color: var(--sa-on-primary); font-weight: 700;
}
.send svg { fill: currentColor; }
.send[aria-disabled="true"] { cursor: progress; }
.footer {
  flex: none; display: flex; flex-wrap: wrap; align-items: center; gap: 2px 14px;
  padding: 2px 12px 8px; background: #ffffff; font-size: 0.8125em;
}
.link-button {
  min-height: 32px; padding: 2px 0; border: 0; background: transparent; color: var(--sa-link);
  text-decoration: underline; text-underline-offset: 2px;
}
.link-button:hover { text-decoration-thickness: 3px; }
.status { flex-basis: 100%; margin: 0; color: var(--sa-muted); }

.checker { flex: 1; min-height: 0; overflow-y: auto; padding: 14px 16px 18px; }
.checker h2 { margin: 0 0 0.4em; font-size: 1.15em; line-height: 1.3; }
.checker h3 { margin: 1em 0 0.3em; font-size: 1em; line-height: 1.3; }
.checker p { margin: 0 0 0.6em; }
.checker fieldset { margin: 0 0 0.8em; padding: 0; border: 0; }
.checker legend, .checker .field-label { display: block; margin-bottom: 4px; font-weight: 700; }
.checker .choice { display: flex; align-items: center; gap: 8px; min-height: 40px; }
.checker .choice input { width: 22px; height: 22px; margin: 0; }
.checker select, .checker .paste {
  display: block; box-sizing: border-box; width: 100%; margin-bottom: 0.8em; padding: 10px 11px;
  border: 2px solid #5a6069; border-radius: 10px; background: #ffffff; color: var(--sa-text); font: inherit;
}
.checker .paste { min-height: 9em; resize: vertical; line-height: 1.4; }
.checker input[type="file"] { display: block; max-width: 100%; margin-bottom: 0.9em; min-height: 40px; }
.checker .actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 0.4em 0 0.8em; }
.checker .result { border-top: 1px solid var(--sa-border); margin-top: 0.6em; padding-top: 0.4em; }
.checker blockquote {
  margin: 0.3em 0 0.5em; padding: 0.4em 0.7em; background: #f4f5f7; border-left: 4px solid var(--sa-link);
}
.checker ul { margin: 0 0 0.6em; padding-left: 1.2em; }
.checker li { margin-bottom: 0.6em; }
.checker a { color: var(--sa-link); text-decoration: underline; text-underline-offset: 2px; }
.checker .error { padding: 8px 10px; border: 2px solid #c9362a; border-radius: 8px; background: #fdf2f1; color: #3d0c08; }
@media (max-width: 480px) {
  .panel {
    inset: 0; width: 100%; max-width: none; height: 100%; height: 100dvh; max-height: none;
    border: 0; border-radius: 0; box-shadow: none;
  }
  .root.is-open .launcher { display: none; }
  .msg { max-width: 94%; }
}
@media (prefers-reduced-motion: reduce) {
  *, *::before, *::after { animation: none !important; transition: none !important; scroll-behavior: auto !important; }
  .typing span { opacity: 0.8; transform: none; }
}
@media (forced-colors: active) {
  .launcher, .panel, .msg, .reply, .send, .primary-button, .fb-button, .exit, .help-now { border: 1px solid CanvasText; }
}
`;

  // ---------------------------------------------------------------- user interface

  const ui = {};

  function build() {
    const host = h("send-rights-assistant");
    // Inline !important beats anything the host page says about this element.
    host.style.cssText =
      "all: initial !important; display: block !important; position: static !important; " +
      "width: 0 !important; height: 0 !important; margin: 0 !important; padding: 0 !important;";
    const shadow = host.attachShadow({ mode: "open" });
    if ("adoptedStyleSheets" in shadow && typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      shadow.adoptedStyleSheets = [sheet];
    } else {
      shadow.append(h("style", { text: CSS }));
    }

    ui.host = host;
    ui.shadow = shadow;
    ui.root = h("div", { class: "root" });
    shadow.append(ui.root);

    ui.launcher = h(
      "button",
      {
        type: "button",
        class: "launcher",
        "aria-label": "Open SEND rights assistant chat",
        "aria-expanded": "false",
        "aria-controls": "sa-panel",
        onclick: () => (state.open ? closePanel(true) : openPanel(true)),
      },
      icon(ICON_CHAT, 22),
      h("span", { text: "SEND rights assistant" }),
    );

    ui.logo = h("img", { class: "logo", alt: "", width: "36", height: "36", hidden: true });
    ui.logo.addEventListener("error", () => ui.logo.setAttribute("hidden", ""));
    ui.title = h("p", { class: "title", id: "sa-title" });
    ui.close = h(
      "button",
      { type: "button", class: "icon-button", "aria-label": "Close chat", onclick: () => closePanel(true) },
      icon(ICON_CLOSE, 24),
    );
    const header = h(
      "div",
      { class: "header" },
      ui.logo,
      h("div", { class: "titles" }, ui.title, h("p", { class: "subtitle", text: "Information, not legal advice" })),
      ui.close,
    );

    ui.smaller = h("button", {
      type: "button",
      class: "size-button",
      "aria-label": "A\u2212 smaller text",
      text: "A\u2212",
      onclick: () => changeSize(-1),
    });
    ui.larger = h("button", {
      type: "button",
      class: "size-button",
      "aria-label": "A+ larger text",
      text: "A+",
      onclick: () => changeSize(1),
    });
    // One tap to the emergency help from anywhere in the chat, whatever the last reply was: a message that shows
    // danger in words the safety net does not know still has a way out (docs/safety-and-privacy.md, "Session 14").
    ui.helpNow = h("button", {
      type: "button",
      class: "help-now",
      text: "Someone in danger?",
      "aria-label": "Someone in danger? Show emergency help",
      onclick: () => send({ payload: "/crisis" }, "Someone is in danger now"),
    });
    const toolbar = h(
      "div",
      { class: "toolbar" },
      h("button", {
        type: "button",
        class: "exit",
        text: "Leave this site",
        title: "Leave quickly: this clears the chat from this browser and opens a neutral website",
        onclick: safeExit,
      }),
      ui.helpNow,
      h(
        "div",
        { class: "sizes", role: "group", "aria-labelledby": "sa-size-label" },
        h("span", { id: "sa-size-label", text: "Text size" }),
        ui.smaller,
        ui.larger,
      ),
    );

    // Privacy notice, shown before the first message.
    ui.noticeText = h("div", { class: "notice-text" });
    ui.start = h("button", { type: "button", class: "primary-button", text: "OK, start", onclick: acceptNotice });
    ui.notice = h(
      "section",
      { class: "notice", "aria-labelledby": "sa-notice-title" },
      h("h2", { id: "sa-notice-title", text: "Before you start" }),
      ui.noticeText,
      h("p", { class: "notice-danger", text: "If anyone is in immediate danger, call 999 now." }),
      ui.start,
    );

    ui.log = h("div", {
      class: "log",
      role: "log",
      "aria-live": "polite",
      "aria-label": "Conversation",
      tabindex: "0",
    });
    ui.typing = h("div", { class: "typing", "aria-hidden": "true", hidden: true }, h("span"), h("span"), h("span"));
    ui.typingStatus = h("p", { class: "sr-only", role: "status" });

    ui.confirm = h(
      "div",
      { class: "confirm", role: "group", "aria-labelledby": "sa-confirm-text", hidden: true },
      h("p", {
        id: "sa-confirm-text",
        text: "Clear this conversation? It will be deleted from this browser and from our server.",
      }),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: "danger", text: "Yes, clear it", onclick: confirmClear }),
        h("button", { type: "button", class: "secondary", text: "Keep it", onclick: () => hideConfirm(true) }),
      ),
    );

    ui.input = h("textarea", {
      id: "sa-input",
      class: "input",
      rows: "1",
      maxlength: "2000",
      autocomplete: "off",
      "aria-describedby": "sa-input-hint",
    });
    ui.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submit();
      }
    });
    ui.input.addEventListener("input", autoGrow);
    ui.send = h(
      "button",
      { type: "button", class: "send", onclick: submit },
      icon(ICON_SEND, 18),
      h("span", { text: "Send" }),
    );
    ui.status = h("p", { class: "status", role: "status" });
    ui.composer = h(
      "div",
      { class: "composer" },
      h("label", { for: "sa-input", text: "Type your message" }),
      h("p", {
        id: "sa-input-hint",
        class: "sr-only",
        text: "Press Enter to send, Shift and Enter for a new line. You don't need to give any names.",
      }),
      h("div", { class: "row" }, ui.input, ui.send),
    );
    ui.footer = h(
      "div",
      { class: "footer" },
      h("button", { type: "button", class: "link-button", text: "Download my summary", onclick: () => downloadSummary("txt") }),
      h("button", { type: "button", class: "link-button", text: "Summary as Word", onclick: () => downloadSummary("docx") }),
      h("button", { type: "button", class: "link-button", text: "Clear conversation", onclick: showConfirm }),
      h("button", { type: "button", class: "link-button", text: "Check a plan or letter", onclick: () => openChecker("plan") }),
      ui.status,
    );
    ui.chat = h("div", { class: "body" }, ui.log, ui.typingStatus, ui.confirm, ui.composer, ui.footer);

    ui.panel = h(
      "div",
      {
        id: "sa-panel",
        class: "panel",
        role: "dialog",
        "aria-modal": "false",
        "aria-labelledby": "sa-title",
        hidden: true,
      },
      header,
      toolbar,
      ui.notice,
      ui.chat,
      buildChecker(),
    );
    ui.panel.addEventListener("keydown", onPanelKey);
    ui.launcher.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && state.open) closePanel(true);
    });

    ui.root.append(ui.panel, ui.launcher);
    applySize();
    applyPartner();
    showNoticeOrChat();
    for (const message of state.messages) ui.log.append(...renderMessage(message));
    ui.log.append(ui.typing);
    return host;
  }

  function applyPartner() {
    const partner = state.partner;
    const name = typeof partner.display_name === "string" && partner.display_name.trim()
      ? partner.display_name.trim()
      : DEFAULT_PARTNER.display_name;
    ui.title.textContent = name;
    const palette = paletteFor(partner.colours);
    ui.root.style.setProperty("--sa-primary", palette.primary);
    ui.root.style.setProperty("--sa-on-primary", palette.onPrimary);
    ui.root.style.setProperty("--sa-link", palette.link);
    ui.root.style.setProperty("--sa-accent", palette.accent);

    // The logo is shown only when it comes from our own server: the widget makes no other requests.
    ui.logo.setAttribute("hidden", "");
    if (typeof partner.logo_url === "string" && partner.logo_url) {
      try {
        const url = new URL(partner.logo_url, `${API}/`);
        if (url.origin === scriptUrl.origin && (url.protocol === "https:" || url.protocol === "http:")) {
          ui.logo.src = url.href;
          ui.logo.removeAttribute("hidden");
        }
      } catch {
        /* no logo */
      }
    }

    ui.noticeText.replaceChildren(renderMarkdown(privacyText(partner)));
    // A welcome message not yet followed by anything takes the partner's wording once it has loaded.
    const first = state.messages[0];
    if (first && first.welcome && state.messages.length === 1 && first.text !== welcomeText()) {
      first.text = welcomeText();
      const bubble = ui.log.querySelector(`[data-id="${first.id}"] .content`);
      if (bubble) bubble.replaceChildren(renderMarkdown(first.text));
    }
  }

  function welcomeText() {
    const text = state.partner.welcome;
    return typeof text === "string" && text.trim() ? text : DEFAULT_PARTNER.welcome;
  }

  function privacyText(partner) {
    let text =
      typeof partner.privacy_notice === "string" && partner.privacy_notice.trim()
        ? partner.privacy_notice.trim()
        : DEFAULT_PARTNER.privacy_notice;
    const days = partner.retention_days;
    if (Number.isInteger(days) && days > 0 && !text.includes(String(days))) {
      text += `\n\nConversations are deleted after ${days} day${days === 1 ? "" : "s"}.`;
    }
    return text;
  }

  async function loadPartner() {
    try {
      const data = await requestJson("GET", `/partner/${encodeURIComponent(PARTNER_ID)}`);
      state.partner = { ...DEFAULT_PARTNER, ...data };
      state.partnerLoaded = true;
      applyPartner();
    } catch {
      /* keep the built-in defaults: the chat still works */
    }
  }

  function showNoticeOrChat() {
    ui.notice.hidden = state.accepted;
    ui.chat.hidden = !state.accepted;
    ui.helpNow.hidden = !state.accepted; // before the chat starts, the notice itself says to call 999
  }

  function acceptNotice() {
    state.accepted = true;
    if (!state.messages.length) addMessage({ from: "bot", text: welcomeText(), welcome: true });
    showNoticeOrChat();
    ui.input.focus();
  }

  function openPanel(moveFocus) {
    state.open = true;
    ui.panel.hidden = false;
    ui.root.classList.add("is-open");
    ui.launcher.setAttribute("aria-expanded", "true");
    ui.launcher.setAttribute("aria-label", "Close SEND rights assistant chat");
    scrollToEnd(false);
    if (moveFocus) (state.accepted ? ui.input : ui.start).focus();
    save();
  }

  function closePanel(returnFocus) {
    state.open = false;
    hideConfirm(false);
    ui.panel.hidden = true;
    ui.root.classList.remove("is-open");
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.launcher.setAttribute("aria-label", "Open SEND rights assistant chat");
    if (returnFocus) ui.launcher.focus();
    save();
  }

  function onPanelKey(event) {
    if (event.key !== "Escape") return;
    event.preventDefault();
    event.stopPropagation();
    if (!ui.confirm.hidden) hideConfirm(true);
    else closePanel(true);
  }

  function autoGrow() {
    ui.input.style.height = "auto";
    ui.input.style.height = `${ui.input.scrollHeight + 4}px`;
  }

  function changeSize(step) {
    const index = Math.min(SIZES.length - 1, Math.max(0, SIZES.indexOf(state.size) + step));
    state.size = SIZES[index];
    storage.set(SIZE_KEY, String(index));
    applySize();
    setStatus(`Text size ${Math.round(state.size * 100)}%`);
  }

  function applySize() {
    const index = SIZES.indexOf(state.size);
    ui.root.style.setProperty("--sa-scale", String(state.size));
    ui.smaller.disabled = index <= 0;
    ui.larger.disabled = index >= SIZES.length - 1;
  }

  function setStatus(text) {
    ui.status.textContent = text;
  }

  // ---------------------------------------------------------------- messages

  function addMessage(fields) {
    const message = {
      id: nextId++,
      from: fields.from,
      text: String(fields.text || ""),
      buttons: fields.buttons || [],
      used: null,
      articleId: fields.articleId || null,
      feedback: null,
      welcome: Boolean(fields.welcome),
      error: Boolean(fields.error),
      folded: Boolean(fields.folded),
      more: fields.more || 0, // on the first folded message: how many the "Show more" button opens
    };
    state.messages.push(message);
    const nodes = renderMessage(message);
    ui.log.insertBefore(nodes[0], ui.typing);
    for (const node of nodes.slice(1)) ui.log.insertBefore(node, ui.typing);
    return { message, node: nodes[0] };
  }

  function renderMessage(message) {
    const nodes = [];
    const who = message.from === "user" ? "You said:" : "Assistant said:";
    const content = h("div", { class: "content" });
    if (message.from === "user") content.textContent = message.text;
    else content.append(renderMarkdown(message.text));
    if (message.folded && message.more) nodes.push(renderMore(message));
    nodes.push(
      h(
        "div",
        {
          class: `msg ${message.from}${message.error ? " error" : ""}`,
          "data-id": String(message.id),
          hidden: message.folded,
        },
        h("span", { class: "sr-only", text: `${who} ` }),
        content,
      ),
    );
    // Feedback belongs to the answer, so it comes before the buttons that lead on from it.
    if (message.articleId && message.from === "bot") nodes.push(renderFeedback(message));
    if (message.buttons.length) nodes.push(renderReplies(message));
    return nodes;
  }

  /** Mark the messages of one long answer that wait behind "Show more" (see SHOWN_MESSAGES). */
  function fold(incoming) {
    let shown = 0;
    let first = null;
    incoming.forEach((m, index) => {
      const plain = !m.buttons.length;
      // Download links (a letter, the deadlines) are never hidden behind "Show more".
      const download = /\/download\//.test(m.text || "");
      m.folded = plain && !download && index < incoming.length - 1 && shown >= SHOWN_MESSAGES;
      if (plain && !m.folded) shown += 1;
      if (m.folded && !first) first = m;
      if (m.folded) first.more = (first.more || 0) + 1;
      if (!m.folded) first = null;
    });
  }

  /** "Show more": opens the folded messages that follow, and moves focus to the first of them. */
  function renderMore(message) {
    const count = message.more;
    const button = h("button", {
      type: "button",
      class: "more",
      text: `Show more (${count} more message${count === 1 ? "" : "s"})`,
    });
    button.addEventListener("click", () => {
      let opened = null;
      for (const m of state.messages.slice(state.messages.indexOf(message))) {
        if (!m.folded) break;
        m.folded = false;
        const node = ui.log.querySelector(`[data-id="${m.id}"]`);
        if (node) node.hidden = false;
        opened = opened || node;
      }
      message.more = 0;
      button.remove();
      save();
      if (opened) {
        opened.setAttribute("tabindex", "-1");
        opened.focus();
      }
    });
    return button;
  }

  function renderReplies(message) {
    const group = h("div", {
      class: "replies",
      role: "group",
      "aria-label": "Suggested replies",
      "data-replies-for": String(message.id),
    });
    message.buttons.forEach((button, index) => {
      group.append(
        h("button", {
          type: "button",
          class: "reply",
          text: button.title,
          onclick: (event) => {
            if (opensChecker(button.payload)) return; // "Check my plan": opens the panel, nothing is sent
            if (state.busy || message.used !== null) return;
            message.used = index;
            syncReplies(message);
            // Keyboard users carry on typing; on touch screens this would pop up the keyboard.
            if (event.detail === 0) ui.input.focus();
            send({ payload: button.payload }, button.title, message);
          },
        }),
      );
    });
    syncReplies(message, group);
    return group;
  }

  /** Buttons work once, and only until the next message: the server accepts only its latest ones. */
  function syncReplies(message, group) {
    const box = group || ui.log.querySelector(`[data-replies-for="${message.id}"]`);
    if (!box) return;
    Array.from(box.children).forEach((button, index) => {
      button.disabled = message.used !== null;
      button.classList.toggle("chosen", message.used === index);
    });
  }

  // The codes bot/web/feedback.py accepts as `reason_code`, in the parent's words.
  const FEEDBACK_REASONS = [
    ["wrong_topic", "It was about the wrong thing"],
    ["hard_to_understand", "It was hard to understand"],
    ["did_not_answer", "It didn't answer my question"],
    ["out_of_date", "It looks out of date"],
    ["other", "Something else"],
  ];

  function renderFeedback(message) {
    const box = h("div", { class: "feedback", role: "group", "aria-label": "Feedback on this answer" });
    if (message.feedback === "sent") {
      box.append(h("p", { class: "fb-thanks", text: "Thanks for your feedback" }));
      return box;
    }
    const question = h("p", { text: "Was this helpful?" });
    const yes = h("button", { type: "button", class: "fb-button", "aria-pressed": "false", text: "Helpful" });
    const no = h("button", { type: "button", class: "fb-button", "aria-pressed": "false", text: "Not helpful" });
    const error = h("p", { class: "fb-error", hidden: true });
    let form = null;

    const thank = () => {
      message.feedback = "sent";
      save();
      const hadFocus = box.contains(ui.shadow.activeElement);
      const thanks = h("p", { class: "fb-thanks", tabindex: "-1", text: "Thanks for your feedback" });
      box.replaceChildren(thanks);
      if (hadFocus) thanks.focus();
    };
    const post = async (helpful, reason, reasonCode) => {
      error.hidden = true;
      try {
        await ensureToken();
        const body = { token: state.token, article_id: message.articleId, helpful };
        if (reason) body.reason = reason;
        if (reasonCode) body.reason_code = reasonCode;
        await requestJson("POST", "/feedback", body);
        thank();
      } catch (err) {
        error.textContent = err instanceof ApiError ? err.message : TEXT.generic;
        error.hidden = false;
      }
    };

    yes.addEventListener("click", () => {
      yes.setAttribute("aria-pressed", "true");
      no.setAttribute("aria-pressed", "false");
      if (form) form.hidden = true;
      post(true);
    });
    no.addEventListener("click", () => {
      no.setAttribute("aria-pressed", "true");
      yes.setAttribute("aria-pressed", "false");
      if (!form) {
        const id = `sa-reason-${message.id}`;
        // One reason, picked from a short list (the staff console counts them), then an optional comment.
        const choices = FEEDBACK_REASONS.map(([code, label]) =>
          h(
            "label",
            { class: "fb-choice" },
            h("input", { type: "radio", name: `${id}-code`, value: code }),
            ` ${label}`,
          ),
        );
        const reasons = h("fieldset", { class: "fb-reasons" }, h("legend", { text: "What was the main problem?" }), choices);
        const reason = h("textarea", { id, rows: "2", maxlength: "500", "aria-describedby": `${id}-hint` });
        const send = () => {
          const picked = reasons.querySelector("input:checked");
          if (!picked) {
            error.textContent = "Please choose the main problem first.";
            error.hidden = false;
            reasons.querySelector("input").focus();
            return;
          }
          post(false, reason.value.trim().slice(0, 500), picked.value);
        };
        form = h(
          "div",
          { class: "fb-form" },
          reasons,
          h("label", { for: id, text: "Anything else you want to tell us? (optional)" }),
          h("span", { id: `${id}-hint`, class: "hint", text: "Please don't include any names." }),
          reason,
          h("button", { type: "button", class: "fb-send", text: "Send feedback", onclick: send }),
        );
        box.insertBefore(form, error);
      }
      form.hidden = false;
      form.querySelector("input").focus();
    });
    box.append(question, yes, no, error);
    return box;
  }

  function showTyping(on) {
    ui.typing.hidden = !on;
    ui.typingStatus.textContent = on ? "The assistant is typing" : "";
    if (on) scrollToEnd(true);
  }

  function scrollToEnd(smooth) {
    ui.log.scrollTo({ top: ui.log.scrollHeight, behavior: smooth && !reducedMotion() ? "smooth" : "auto" });
  }

  /** Long answers are shown from their first line; short ones just scroll to the end. */
  function scrollToMessage(node) {
    const behavior = reducedMotion() ? "auto" : "smooth";
    const top = node.offsetTop - 8; // .log is positioned, so it is the offsetParent
    if (ui.log.scrollHeight - top > ui.log.clientHeight) ui.log.scrollTo({ top, behavior });
    else scrollToEnd(true);
  }

  // ---------------------------------------------------------------- talking to the server

  async function ensureToken() {
    if (state.token) return state.token;
    const data = await requestJson("POST", "/session", { partner: PARTNER_ID });
    if (typeof data.token !== "string" || !data.token) throw new ApiError(500, TEXT.server);
    state.token = data.token;
    return state.token;
  }

  async function postMessage(body) {
    await ensureToken();
    try {
      return await requestJson("POST", "/message", { token: state.token, ...body });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      state.token = null; // expired or unknown: start a new conversation once and try again
      await ensureToken();
      return requestJson("POST", "/message", { token: state.token, ...body });
    }
  }

  function submit() {
    const text = ui.input.value.trim();
    if (!text || state.busy) return;
    ui.input.value = "";
    autoGrow();
    send({ text }, text);
  }

  async function send(body, shownText, clicked) {
    if (state.busy) return;
    clearErrors();
    // Earlier buttons stop working once something new is said (-1: expired without being chosen).
    const expired = state.messages.filter((m) => m.buttons.length && m.used === null);
    for (const m of expired) {
      m.used = -1;
      syncReplies(m);
    }
    setStatus("");
    state.busy = true;
    ui.send.setAttribute("aria-disabled", "true");
    const { node: userNode } = addMessage({ from: "user", text: shownText });
    save();
    scrollToEnd(true);
    showTyping(true);
    try {
      const data = await postMessage(body);
      const articleId = typeof data.article_id === "string" && data.article_id ? data.article_id : null;
      const incoming = (Array.isArray(data.messages) ? data.messages : [])
        .filter((m) => m && (typeof m.text === "string" || Array.isArray(m.buttons)))
        .map((m) => ({
          text: typeof m.text === "string" ? m.text : "",
          buttons: (Array.isArray(m.buttons) ? m.buttons : []).filter(
            (b) => b && typeof b.title === "string" && typeof b.payload === "string",
          ),
        }))
        .filter((m) => m.text.trim() || m.buttons.length);
      showTyping(false);
      if (!incoming.length) incoming.push({ text: TEXT.empty, buttons: [] });
      fold(incoming);
      let first = null;
      incoming.forEach((m, index) => {
        const isLast = index === incoming.length - 1;
        const { node } = addMessage({
          from: "bot",
          text: m.text,
          buttons: m.buttons,
          articleId: isLast ? articleId : null,
          folded: m.folded,
          more: m.more,
        });
        first = first || node;
      });
      // The server took a name out of the message before saving it (bot/storage/redact.py): say so, kindly, once.
      if (data.name_removed === true && !state.namesNoted) {
        state.namesNoted = true;
        addMessage({ from: "bot", text: TEXT.names });
      }
      save();
      scrollToMessage(first || userNode);
    } catch (error) {
      showTyping(false);
      // Nothing reached the assistant, so its last buttons still work.
      for (const m of clicked ? [...expired, clicked] : expired) {
        m.used = null;
        syncReplies(m);
      }
      const text = error instanceof ApiError ? error.message : TEXT.generic;
      addMessage({ from: "bot", text, error: true });
      if (body.text && !ui.input.value) {
        ui.input.value = body.text; // give the parent their words back to try again
        autoGrow();
      }
      scrollToEnd(true);
    } finally {
      state.busy = false;
      ui.send.removeAttribute("aria-disabled");
    }
  }

  function clearErrors() {
    state.messages = state.messages.filter((m) => {
      if (!m.error) return true;
      const node = ui.log.querySelector(`[data-id="${m.id}"]`);
      if (node) node.remove();
      return false;
    });
  }

  // ---------------------------------------------------------------- summary, clear, safe exit

  /** The summary as plain text ("txt") or as a Word document ("docx"), both made by the server. */
  async function downloadSummary(format) {
    setStatus("");
    if (!state.token || !state.messages.some((m) => m.from === "user")) {
      setStatus("There is nothing to download yet. Ask a question first.");
      return;
    }
    try {
      const query = format === "docx" ? "&format=docx" : "";
      const response = await request("GET", `/summary?token=${encodeURIComponent(state.token)}${query}`);
      if (!response.ok) {
        throw await refusal(response);
      }
      const file = await response.blob();
      const disposition = response.headers.get("Content-Disposition") || "";
      const named = /filename="?([A-Za-z0-9._-]+\.(?:txt|docx))"?/i.exec(disposition);
      const url = URL.createObjectURL(file);
      const anchor = h("a", { href: url, download: named ? named[1] : `send-assistant-summary.${format}`, hidden: true });
      ui.root.append(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(url), 30000);
      setStatus("Your summary has been downloaded.");
    } catch (error) {
      setStatus(error instanceof ApiError ? error.message : TEXT.generic);
    }
  }

  function showConfirm() {
    setStatus("");
    ui.confirm.hidden = false;
    ui.confirm.querySelector(".secondary").focus();
  }

  function hideConfirm(returnFocus) {
    if (ui.confirm.hidden) return;
    ui.confirm.hidden = true;
    const error = ui.confirm.querySelector(".fb-error");
    if (error) error.remove();
    if (returnFocus) ui.input.focus();
  }

  async function confirmClear() {
    let newToken = null;
    if (state.token) {
      try {
        const data = await requestJson("POST", "/clear", { token: state.token });
        newToken = typeof data.token === "string" && data.token ? data.token : null;
      } catch (error) {
        const old = ui.confirm.querySelector(".fb-error");
        if (old) old.remove();
        ui.confirm.append(
          h("p", { class: "fb-error", text: error instanceof ApiError ? error.message : TEXT.generic }),
        );
        return;
      }
    }
    storage.remove(STORE_KEY);
    state.token = newToken;
    state.messages = [];
    state.namesNoted = false;
    ui.log.replaceChildren(ui.typing);
    ui.confirm.hidden = true;
    addMessage({ from: "bot", text: welcomeText(), welcome: true });
    setStatus("Conversation cleared.");
    ui.input.value = "";
    autoGrow();
    ui.input.focus();
  }

  function safeExit() {
    storage.remove(STORE_KEY);
    ui.log.replaceChildren();
    ui.panel.hidden = true;
    window.location.replace(EXIT_URL);
  }

  // ---------------------------------------------------------------- check a plan or letter
  // The document stays in this page's memory only (never sessionStorage): it is sent to the checker, and
  // sent again for a checklist download, because the server keeps nothing (bot/documents/web.py).

  const CHECKER_MAX_BYTES = 5 * 1024 * 1024;
  const checker = { kinds: null, file: null, wantedLetter: "" };

  function buildChecker() {
    const choice = (value, label) =>
      h(
        "label",
        { class: "choice" },
        h("input", { type: "radio", name: "sa-check", value, onchange: () => showCheckKind(value) }),
        h("span", { text: label }),
      );
    ui.checkPlan = choice("plan", "An education, health and care (EHC) plan, draft or final");
    ui.checkLetter = choice("letter", "A letter from the council or the school");
    ui.letterKind = h("select", { id: "sa-letter-kind" });
    ui.letterRow = h(
      "div",
      { hidden: true },
      h("label", { class: "field-label", for: "sa-letter-kind", text: "Which letter is it?" }),
      ui.letterKind,
    );
    ui.paste = h("textarea", {
      id: "sa-paste",
      class: "paste",
      maxlength: "150000",
      autocomplete: "off",
      "aria-describedby": "sa-paste-hint",
    });
    ui.file = h("input", {
      id: "sa-file",
      type: "file",
      accept: ".docx,.pdf,.txt,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      onchange: () => {
        checker.file = ui.file.files && ui.file.files[0] ? ui.file.files[0] : null;
      },
    });
    ui.checkResult = h("div", { class: "result", role: "region", "aria-label": "What the checker found", tabindex: "-1", hidden: true });
    ui.checkStatus = h("p", { class: "status", role: "status" });
    ui.checker = h(
      "section",
      { class: "checker", "aria-labelledby": "sa-checker-title", hidden: true },
      h("h2", { id: "sa-checker-title", text: "Check a plan or letter" }),
      h("p", {
        text:
          "The checker looks for vague wording and for what the law says must be there. " +
          "Your document is checked and then forgotten: nothing is saved.",
      }),
      h("fieldset", {}, h("legend", { text: "What do you want to check?" }), ui.checkPlan, ui.checkLetter),
      ui.letterRow,
      h("label", { class: "field-label", for: "sa-paste", text: "Paste the text here" }),
      h("p", {
        id: "sa-paste-hint",
        class: "hint",
        text: "For a plan, paste sections B and F (and G and H if there are any), with their headings.",
      }),
      ui.paste,
      h("label", { class: "field-label", for: "sa-file", text: "Or choose a Word or PDF file (up to 5 MB)" }),
      ui.file,
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: "primary-button", text: "Check it", onclick: runCheck }),
        h("button", { type: "button", class: "secondary", text: "Back to the chat", onclick: closeChecker }),
      ),
      ui.checkStatus,
      ui.checkResult,
    );
    return ui.checker;
  }

  async function showCheckKind(value) {
    ui.letterRow.hidden = value !== "letter";
    if (value !== "letter") return;
    await loadLetterKinds();
    if (checker.wantedLetter && checker.kinds && checker.kinds.some((k) => k.id === checker.wantedLetter)) {
      ui.letterKind.value = checker.wantedLetter;
    }
  }

  async function loadLetterKinds() {
    if (checker.kinds) return;
    try {
      await ensureToken();
      const response = await request("GET", `/documents/kinds?token=${encodeURIComponent(state.token)}`);
      const data = await response.json();
      checker.kinds = Array.isArray(data.letters) ? data.letters : [];
    } catch {
      checker.kinds = null;
      ui.checkStatus.textContent = TEXT.network;
      return;
    }
    ui.letterKind.replaceChildren(...checker.kinds.map((k) => h("option", { value: String(k.id), text: String(k.title) })));
  }

  // The "Check my plan" / "Check my letter" buttons under an answer (bot/documents/chat.py).
  const CHECK_PAYLOAD = "/check_document";

  function opensChecker(payload) {
    if (typeof payload !== "string" || !payload.startsWith(CHECK_PAYLOAD)) return false;
    let wanted = {};
    try {
      wanted = JSON.parse(payload.slice(CHECK_PAYLOAD.length) || "{}") || {};
    } catch {
      wanted = {};
    }
    openChecker(wanted.check === "letter" ? "letter" : "plan", typeof wanted.letter === "string" ? wanted.letter : "");
    return true;
  }

  function openChecker(kind, letter) {
    if (!state.open) openPanel(false);
    if (!state.accepted) return; // the privacy notice comes first
    ui.chat.hidden = true;
    ui.checker.hidden = false;
    const radio = (kind === "letter" ? ui.checkLetter : ui.checkPlan).querySelector("input");
    radio.checked = true;
    checker.wantedLetter = letter || "";
    showCheckKind(kind === "letter" ? "letter" : "plan");
    ui.checker.querySelector("h2").setAttribute("tabindex", "-1");
    ui.checker.querySelector("h2").focus();
  }

  function closeChecker() {
    ui.checker.hidden = true;
    ui.chat.hidden = false;
    ui.input.focus();
  }

  function checkQuery(format) {
    const letter = ui.checkLetter.querySelector("input").checked;
    const params = new URLSearchParams({ check: letter ? "letter" : "plan", format });
    if (letter) params.set("letter", ui.letterKind.value || "");
    // Only the file's type goes in the address (addresses can be logged): a name could say whose plan it is.
    if (checker.file && !ui.paste.value.trim()) {
      const extension = /\.([A-Za-z0-9]{1,5})$/.exec(checker.file.name);
      params.set("filename", `upload.${extension ? extension[1].toLowerCase() : "bin"}`);
    }
    return `/documents/check?${params.toString()}`;
  }

  /** The document as the server wants it: pasted text wins over a chosen file. */
  function checkBody() {
    const pasted = ui.paste.value.trim();
    if (pasted) return { body: pasted, type: "text/plain; charset=utf-8" };
    if (checker.file) return { body: checker.file, type: "application/octet-stream" };
    return null;
  }

  async function postDocument(format) {
    const document_ = checkBody();
    if (!document_) throw new ApiError(400, "Please paste some text or choose a file first.");
    if (document_.body instanceof Blob && document_.body.size > CHECKER_MAX_BYTES) {
      throw new ApiError(413, "That file is too big for the checker (the limit is 5 MB). Try pasting the part you want checked.");
    }
    await ensureToken();
    let response;
    try {
      response = await fetch(API + checkQuery(format), {
        method: "POST",
        headers: { "Content-Type": document_.type, "X-Conversation-Token": state.token },
        body: document_.body,
        credentials: "omit",
        cache: "no-store",
      });
    } catch {
      throw new ApiError(0, TEXT.network);
    }
    if (!response.ok) {
      throw await refusal(response);
    }
    return response;
  }

  async function runCheck() {
    ui.checkStatus.textContent = "Checking…";
    ui.checkResult.hidden = true;
    try {
      const response = await postDocument("json");
      renderCheck(await response.json());
      ui.checkStatus.textContent = "Done. The results are below.";
      ui.checkResult.focus();
    } catch (error) {
      ui.checkStatus.textContent = "";
      ui.checkResult.replaceChildren(h("p", { class: "error", text: error instanceof ApiError ? error.message : TEXT.generic }));
      ui.checkResult.hidden = false;
    }
  }

  function sourceLinks(numbers, sources) {
    const links = numbers
      .map((n) => sources.find((s) => s.number === n))
      .filter((s) => s && safeUrl(s.url))
      .map((s) => h("a", { href: safeUrl(s.url), target: "_blank", rel: "noopener noreferrer", text: String(s.number), title: String(s.title) }));
    if (!links.length) return null;
    const line = h("span", { class: "cites" }, "Sources: ");
    links.forEach((a, i) => line.append(...(i ? [" ", a] : [a])));
    return line;
  }

  function renderCheck(data) {
    const sources = Array.isArray(data.sources) ? data.sources : [];
    const parts = [h("h3", { text: String(data.title || "") }), h("p", { text: String(data.summary || "") })];
    if (data.intro) {
      const intro = h("p", { text: `${data.intro} ` });
      const cites = sourceLinks(data.intro_sources || [], sources);
      if (cites) intro.append(cites);
      parts.push(intro);
    }
    for (const note of data.notes || []) parts.push(h("p", { text: String(note) }));
    for (const group of data.groups || []) {
      parts.push(h("h3", { text: String(group.heading || "") }));
      if (group.quote) parts.push(h("blockquote", { text: String(group.quote) }));
      const list = h("ul");
      for (const point of group.points || []) {
        const item = h("li", {}, h("strong", { text: String(point.title || "") }));
        if (point.why) {
          const why = h("p", { text: `${point.why} ` });
          const cites = sourceLinks(point.sources || [], sources);
          if (cites) why.append(cites);
          item.append(why);
        }
        if (point.ask) item.append(h("p", { text: String(point.ask).startsWith("We found") ? point.ask : `Ask: ${point.ask}` }));
        list.append(item);
      }
      parts.push(list);
    }
    if (sources.length) {
      parts.push(h("h3", { text: "Sources" }));
      const list = h("ol");
      for (const s of sources) {
        const url = safeUrl(s.url);
        list.append(h("li", {}, url ? h("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: String(s.title) }) : String(s.title)));
      }
      parts.push(list);
    }
    parts.push(h("p", { text: String(data.not_advice || "") }));
    parts.push(
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: "secondary", text: "Checklist as Word", onclick: () => downloadChecklist("docx") }),
        h("button", { type: "button", class: "secondary", text: "Checklist as text", onclick: () => downloadChecklist("txt") }),
      ),
    );
    ui.checkResult.replaceChildren(...parts);
    ui.checkResult.hidden = false;
  }

  async function downloadChecklist(format) {
    try {
      const response = await postDocument(format);
      const file = await response.blob();
      const disposition = response.headers.get("Content-Disposition") || "";
      const named = /filename="?([A-Za-z0-9._-]+\.(?:txt|docx))"?/i.exec(disposition);
      const url = URL.createObjectURL(file);
      const anchor = h("a", { href: url, download: named ? named[1] : `checklist.${format}`, hidden: true });
      ui.root.append(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(url), 30000);
      ui.checkStatus.textContent = "Your checklist has been downloaded.";
    } catch (error) {
      ui.checkStatus.textContent = error instanceof ApiError ? error.message : TEXT.generic;
    }
  }

  // ---------------------------------------------------------------- start

  function start() {
    restore();
    const host = build();
    document.body.append(host);
    if (!reducedMotion()) ui.root.classList.add("animate");
    if (state.open) openPanel(false);
    loadPartner();
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start, { once: true });
})();
