/* The console's only script: progressive help on top of server-rendered pages.
   Every page works without it; it adds the live SMS counter, "tick all",
   and the USSD simulator's phone. */
"use strict";

/* Encoding and segments of an SMS, as flows/encoding.py counts them. The
   alphabets come from the page, so there is one GSM-7 table: the server's. */
function countSms(text, basic, extension) {
  const chars = Array.from(text);
  const gsm = chars.every((c) => basic.has(c) || extension.has(c));
  const widths = gsm
    ? chars.map((c) => (extension.has(c) ? 2 : 1))
    : chars.map((c) => (c.codePointAt(0) > 0xffff ? 2 : 1));
  const [single, part] = gsm ? [160, 153] : [70, 67];
  const length = widths.reduce((a, b) => a + b, 0);
  let segments = 1;
  if (length > single) {
    let used = 0;
    for (const width of widths) {
      if (used + width > part) {
        segments += 1;
        used = 0;
      }
      used += width;
    }
  }
  return { encoding: gsm ? "GSM-7" : "UCS-2", length, segments };
}

/* A template's texts by language, as flows/reminder_texts.py splits them:
   the Vietnamese text first, then optional "en: ..." / "vi-accents: ..." lines. */
function templateVariants(template) {
  const texts = { vi: [] };
  let current = "vi";
  for (const line of template.split("\n")) {
    const match = line.match(/^(en|vi-accents):\s*(.*)$/);
    if (match) {
      current = match[1];
      texts[current] = [match[2]];
    } else {
      texts[current].push(line);
    }
  }
  const found = Object.entries(texts)
    .filter(([, lines]) => lines.some((line) => line))
    .map(([language, lines]) => [language, lines.join("\n").trim()]);
  return found.length ? found : [["vi", ""]];
}

function smsCounter(textarea) {
  const output = document.getElementById(textarea.dataset.smsCounter);
  const basic = new Set(Array.from(JSON.parse(output.dataset.gsm7)));
  const extension = new Set(Array.from(JSON.parse(output.dataset.gsm7Extension)));
  const fill = JSON.parse(output.dataset.fill || "{}");
  window.measureSms = (text) => countSms(text, basic, extension);
  /* The text as sent: each placeholder filled with its longest value in this
     commune, in the template's alphabet, as flows/reminder_texts.py renders it. */
  const filled = (text) => {
    const gsm = Array.from(text).every((c) => basic.has(c) || extension.has(c));
    return text.replace(/\{([a-z_]+)\}/g, (typed, name) =>
      name in fill ? fill[name][gsm ? 0 : 1] : typed);
  };
  const update = () => {
    const texts = templateVariants(textarea.value);
    const parts = texts.map(([language, text]) => {
      const m = countSms(filled(text), basic, extension);
      const unit = m.segments === 1 ? output.dataset.one : output.dataset.many;
      const label = texts.length > 1 ? `${language}: ` : "";
      return [m, `${label}${m.encoding} · ${m.length} ${output.dataset.chars} · ${m.segments} ${unit}`];
    });
    const ucs2 = parts.some(([m]) => m.encoding === "UCS-2");
    output.textContent = parts.map(([, shown]) => shown).join(" | ");
    output.title = ucs2 ? output.dataset.ucs2Hint : "";
    output.classList.toggle("warn", ucs2);
  };
  textarea.addEventListener("input", update);
  update();
}

/* "Use the text without diacritics": the server offers it when it saves segments. */
function plainText(button) {
  button.addEventListener("click", () => {
    const textarea = button.form.querySelector("[data-sms-counter]");
    textarea.value = button.dataset.plainText;
    textarea.dispatchEvent(new Event("input"));
  });
}

function checkAll(box) {
  box.addEventListener("change", () => {
    for (const other of box.form.querySelectorAll(`input[name="${box.dataset.checkAll}"]`)) {
      other.checked = box.checked;
    }
  });
}

function simulator(form) {
  const screen = form.querySelector("#screen");
  const answer = form.querySelector("#answer");
  const send = form.querySelector("#send");
  const hangup = form.querySelector("#hangup");
  const dial = form.querySelector("#dial");
  const log = document.getElementById("log");
  let session = null;
  let answers = [];

  const active = (on) => {
    answer.disabled = send.disabled = hangup.disabled = !on;
    form.querySelector("select").disabled = on;
    if (on) answer.focus();
  };
  const note = (who, text) => {
    const item = document.createElement("li");
    item.className = who;
    item.textContent = text;
    log.append(item);
  };
  const step = async (text) => {
    const data = new FormData(form);
    data.set("phone", form.querySelector("select").value);
    data.set("session_id", session);
    data.set("text", text);
    const response = await fetch(form.dataset.url, { method: "POST", body: data });
    if (!response.ok) {
      screen.textContent = form.dataset.failed;
      active(false);
      return;
    }
    const reply = await response.json();
    screen.textContent = reply.text;
    note("log-screen", reply.text);
    if (reply.end) {
      note("log-ended", form.dataset.ended);
      session = null;
      active(false);
    }
  };

  dial.addEventListener("click", () => {
    const bytes = crypto.getRandomValues(new Uint8Array(8));
    session = "sim-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    answers = [];
    log.replaceChildren();
    active(true);
    step("");
  });
  hangup.addEventListener("click", () => {
    session = null;
    screen.textContent = form.dataset.ended;
    active(false);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!session) return;
    const given = answer.value.trim();
    answer.value = "";
    answers.push(given);
    note("log-key", given || "·");
    step(answers.join("*"));
  });
  for (const key of form.querySelectorAll(".key")) {
    key.addEventListener("click", () => {
      if (!session) return;
      answer.value += key.dataset.key;
      answer.focus();
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-sms-counter]").forEach(smsCounter);
  document.querySelectorAll("[data-check-all]").forEach(checkAll);
  document.querySelectorAll("[data-import-status]").forEach(followImport);
  document.querySelectorAll("[data-plain-text]").forEach(plainText);
  document.querySelectorAll(".print-page").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
  const phone = document.getElementById("simulator");
  if (phone) simulator(phone);
});

/* An import running in the background: follow its progress, and show the
   preview or the result as soon as its job is done. */
function followImport(card) {
  const bar = card.querySelector("progress");
  const done = card.querySelector("[data-import-done]");
  const total = card.querySelector("[data-import-total]");
  const poll = async () => {
    try {
      const response = await fetch(card.dataset.importStatus, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const status = await response.json();
        if (status.state !== "previewing" && status.state !== "importing") {
          window.location.reload();
          return;
        }
        bar.max = Math.max(status.total, 1);
        bar.value = status.done;
        done.textContent = status.done;
        total.textContent = status.total || "?";
      }
    } catch (error) {
      /* The server is busy or the network dropped: try again at the next tick. */
    }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 500);
}
