/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Shared by every page: texts and the language switch, the header, JSON calls with the session's
   CSRF token, field errors, money formatting. No framework; server data only ever enters the page
   as text (textContent), never as HTML. */
'use strict';
(function () {
  const LANG_KEY = 'anonpay.lang';
  const CSRF_KEY = 'anonpay.csrf';
  const texts = window.AnonpayTexts;

  function lang() {
    let l = null;
    try { l = localStorage.getItem(LANG_KEY); } catch (e) { /* storage off: default */ }
    return l === 'en' ? 'en' : 'ko';
  }

  function t(id, vars) {
    let s = texts[lang()][id];
    if (s === undefined) s = texts.ko[id];
    if (s === undefined) return id;
    if (vars) Object.keys(vars).forEach(function (k) { s = s.split('{' + k + '}').join(String(vars[k])); });
    return s;
  }

  /** The text {@code prefix + value} when there is one, else the value itself (codes the dictionary does not know). */
  function label(prefix, value) {
    if (value === null || value === undefined) return '';
    const id = prefix + value;
    return texts[lang()][id] !== undefined || texts.ko[id] !== undefined ? t(id) : String(value);
  }

  function applyTexts(root) {
    const r = root || document;
    document.documentElement.lang = lang();
    r.querySelectorAll('[data-i18n]').forEach(function (e) { e.textContent = t(e.getAttribute('data-i18n')); });
    r.querySelectorAll('[data-i18n-placeholder]').forEach(function (e) { e.placeholder = t(e.getAttribute('data-i18n-placeholder')); });
    r.querySelectorAll('[data-i18n-aria-label]').forEach(function (e) { e.setAttribute('aria-label', t(e.getAttribute('data-i18n-aria-label'))); });
    document.querySelectorAll('.lang button').forEach(function (b) { b.setAttribute('aria-pressed', String(b.dataset.lang === lang())); });
  }

  const listeners = [];
  function setLang(l) {
    try { localStorage.setItem(LANG_KEY, l); } catch (e) { /* not remembered */ }
    applyTexts();
    listeners.forEach(function (f) { f(l); });
  }
  /** Pages that build text from data re-render through this when the language changes. */
  function onLang(f) { listeners.push(f); }

  /** el('p', {class: 'x', 'data-testid': 'y'}, 'text', child, ...): attributes as attributes, strings as text nodes. */
  function el(tag, attrs) {
    const e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      const v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'text') e.textContent = v;
      else if (k === 'i18n') { e.setAttribute('data-i18n', v); e.textContent = t(v); }
      else e.setAttribute(k, v === true ? '' : v);
    });
    for (let i = 2; i < arguments.length; i++) {
      const c = arguments[i];
      if (c === null || c === undefined) continue;
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return e;
  }

  function csrf() {
    let token = null;
    try { token = sessionStorage.getItem(CSRF_KEY); } catch (e) { /* none */ }
    if (token) return token;
    const m = document.cookie.match(/(?:^|;\s*)anonpay_csrf=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : null;
  }

  function setCsrf(token) {
    try {
      if (token) sessionStorage.setItem(CSRF_KEY, token); else sessionStorage.removeItem(CSRF_KEY);
    } catch (e) { /* the readable cookie still has it */ }
  }

  function toLogin() {
    const next = location.pathname + location.search;
    location.href = '/login?next=' + encodeURIComponent(next);
  }

  /**
   * A JSON call. Resolves to {status, ok, data, error, errors}; network failures give status 0 and
   * error code NETWORK. A 401 NOT_AUTHENTICATED on a member page goes to the log-in page.
   */
  async function api(method, path, body) {
    const headers = { 'Accept': 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && method !== 'HEAD') {
      const token = csrf();
      if (token) headers['X-CSRF-Token'] = token;
    }
    let response;
    try {
      response = await fetch(path, {
        method: method, headers: headers, credentials: 'same-origin', cache: 'no-store',
        body: body === undefined ? undefined : JSON.stringify(body)
      });
    } catch (e) {
      const error = { code: 'NETWORK', field: null, message: 'network' };
      return { status: 0, ok: false, data: null, error: error, errors: [error] };
    }
    let data = null;
    const type = response.headers.get('Content-Type') || '';
    if (response.status !== 204 && type.indexOf('application/json') === 0) {
      try { data = await response.json(); } catch (e) { data = null; }
    }
    const error = !response.ok && data && data.error ? data.error : (!response.ok ? { code: 'HTTP_' + response.status, field: null, message: String(response.status) } : null);
    const errors = !response.ok && data && data.errors ? data.errors : (error ? [error] : []);
    if (response.status === 401 && error && (error.code === 'NOT_AUTHENTICATED') && document.body.dataset.auth === 'member') {
      setCsrf(null);
      toLogin();
    }
    return { status: response.status, ok: response.ok, data: data, error: error, errors: errors };
  }

  function errorText(e) {
    const known = texts[lang()]['err.' + e.code];
    return known !== undefined ? known : (e.message || e.code);
  }

  /** Clears the errors shown in {@code form}. */
  function clearErrors(form) {
    form.querySelectorAll('.field-error').forEach(function (p) { p.textContent = ''; p.hidden = true; });
    form.querySelectorAll('[aria-invalid]').forEach(function (i) { i.removeAttribute('aria-invalid'); });
    const general = form.querySelector('.form-error');
    if (general) { general.textContent = ''; general.hidden = true; }
  }

  /**
   * Shows each error next to its field: the element with data-error-for="field" (or the form's
   * .form-error when the field has none or is null). The first invalid input gets the focus.
   */
  function showErrors(form, errors) {
    clearErrors(form);
    let first = null;
    const general = form.querySelector('.form-error');
    const generalTexts = [];
    errors.forEach(function (e) {
      const slot = e.field ? form.querySelector('[data-error-for="' + CSS.escape(e.field) + '"]') : null;
      if (slot) {
        if (!slot.textContent) slot.textContent = errorText(e);
        slot.hidden = false;
        const input = form.querySelector('[name="' + CSS.escape(e.field) + '"]');
        if (input) {
          input.setAttribute('aria-invalid', 'true');
          // screen readers read the error with the field
          if (!slot.id) slot.id = (form.id || 'form') + '-error-' + e.field;
          const described = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
          if (described.indexOf(slot.id) < 0) input.setAttribute('aria-describedby', described.concat(slot.id).join(' '));
          if (!first) first = input;
        }
      } else {
        generalTexts.push(errorText(e));
      }
    });
    if (general && generalTexts.length) {
      general.textContent = generalTexts.join(' · ');
      general.hidden = false;
    }
    if (first) first.focus();
  }

  /** Shows a message in the element {@code id}; kind 'ok' or 'error'. */
  function notice(id, text, kind) {
    const n = document.getElementById(id);
    if (!n) return;
    n.textContent = text;
    n.className = 'notice ' + (kind || 'ok');
    n.hidden = !text;
  }

  /** Minor units to text in the currency, with the currency's fraction digits. */
  function money(minor, currency, fractionDigits) {
    const fd = typeof fractionDigits === 'number' ? fractionDigits : 0;
    const major = Number(minor) / Math.pow(10, fd);
    try {
      return new Intl.NumberFormat(lang() === 'en' ? 'en-US' : 'ko-KR', {
        style: 'currency', currency: currency, minimumFractionDigits: fd, maximumFractionDigits: fd
      }).format(major);
    } catch (e) {
      return major.toFixed(fd) + ' ' + currency;
    }
  }

  /** A typed amount in major units ("30,000" or "12.50") to minor units, or null when it is not one. */
  function toMinor(text, fractionDigits) {
    const fd = typeof fractionDigits === 'number' ? fractionDigits : 0;
    const s = String(text).replace(/[,\s]/g, '');
    const re = fd > 0 ? new RegExp('^\\d+(\\.\\d{1,' + fd + '})?$') : /^\d+$/;
    if (!re.test(s)) return null;
    const parts = s.split('.');
    const frac = (parts[1] || '').padEnd(fd, '0');
    return Number(parts[0]) * Math.pow(10, fd) + (fd > 0 ? Number(frac) : 0);
  }

  function dateTime(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    if (isNaN(d.getTime())) return String(iso);
    return d.toLocaleString(lang() === 'en' ? 'en-GB' : 'ko-KR', { dateStyle: 'medium', timeStyle: 'short' });
  }

  /** A request ID for an idempotent attempt (top-up): crypto.randomUUID, or the same from getRandomValues. */
  function uuid() {
    if (window.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, function (x) { return x.toString(16).padStart(2, '0'); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  /** The goods of a wallet payment in the history (b10): "Mug × 1, Tea × 2", or null. */
  function goodsLine(goods) {
    if (!Array.isArray(goods) || !goods.length) return null;
    return el('span', { class: 'goods', 'data-testid': 'tx-goods' },
      goods.map(function (g) { return g.name + ' × ' + g.quantity; }).join(', '));
  }

  function param(name) {
    return new URLSearchParams(location.search).get(name);
  }

  /** The header: brand, navigation (member pages), language switch. */
  function header() {
    const top = document.getElementById('top');
    if (!top) return;
    const member = document.body.dataset.auth === 'member';
    // the wallet program's pop-up (/pay) has no navigation: it answers one mall page and closes
    const popup = document.body.dataset.auth === 'popup';
    const nav = el('nav', { 'aria-label': 'main', id: 'nav' });
    const links = popup ? [] : member
      ? [['/wallet', 'nav.wallet', 'nav-wallet'], ['/cards/new', 'nav.apply', 'nav-apply'], ['/topup', 'nav.topup', 'nav-topup'], ['/funding', 'nav.funding', 'nav-funding']]
      : [['/login', 'nav.login', 'nav-login'], ['/register', 'nav.register', 'nav-register']];
    links.forEach(function (l) {
      const a = el('a', { href: l[0], id: l[2], i18n: l[1] });
      if (location.pathname === l[0]) a.setAttribute('aria-current', 'page');
      nav.appendChild(a);
    });
    if (member) {
      const out = el('button', { type: 'button', id: 'nav-logout', class: 'link', i18n: 'nav.logout' });
      out.addEventListener('click', async function () {
        await api('DELETE', '/api/v1/session');
        setCsrf(null);
        location.href = '/login';
      });
      nav.appendChild(out);
    }
    const langs = el('div', { class: 'lang', role: 'group', 'aria-label': 'language' },
      el('button', { type: 'button', id: 'lang-ko', 'data-lang': 'ko', 'data-testid': 'lang-ko', lang: 'ko' }, '한국어'),
      el('button', { type: 'button', id: 'lang-en', 'data-lang': 'en', 'data-testid': 'lang-en', lang: 'en' }, 'English'));
    langs.querySelectorAll('button').forEach(function (b) {
      b.addEventListener('click', function () { setLang(b.dataset.lang); });
    });
    top.appendChild(popup ? el('span', { class: 'brand', id: 'brand' }, 'anonpay') : el('a', { href: member ? '/wallet' : '/', class: 'brand', id: 'brand' }, 'anonpay'));
    top.appendChild(nav);
    top.appendChild(langs);
  }

  /** Fills a <select> with the security questions in the current language. */
  async function securityQuestions(select) {
    const r = await api('GET', '/api/v1/security-questions');
    if (!r.ok) return;
    const fill = function () {
      const chosen = select.value;
      while (select.options.length > 1) select.remove(1);
      r.data.questions.forEach(function (q) {
        select.appendChild(el('option', { value: String(q.id) }, lang() === 'en' ? q.en : q.ko));
      });
      select.value = chosen;
    };
    fill();
    onLang(fill);
  }

  /** The form's named inputs as an object: text trimmed, checkboxes as booleans, radios by the checked one. */
  function formValues(form) {
    const out = {};
    Array.from(form.elements).forEach(function (e) {
      if (!e.name || e.disabled) return;
      if (e.type === 'radio') { if (e.checked) out[e.name] = e.value; return; }
      if (e.type === 'checkbox') { out[e.name] = e.checked; return; }
      out[e.name] = e.type === 'password' ? e.value : e.value.trim();
    });
    return out;
  }

  window.Anonpay = {
    t: t, label: label, lang: lang, setLang: setLang, onLang: onLang, applyTexts: applyTexts, el: el, api: api,
    setCsrf: setCsrf, csrf: csrf, showErrors: showErrors, clearErrors: clearErrors, errorText: errorText,
    notice: notice, money: money, toMinor: toMinor, dateTime: dateTime, uuid: uuid, param: param, goodsLine: goodsLine,
    securityQuestions: securityQuestions, formValues: formValues, toLogin: toLogin
  };

  document.addEventListener('DOMContentLoaded', function () {
    header();
    applyTexts();
  });
})();
