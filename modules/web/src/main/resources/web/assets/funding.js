/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Funding sources: the member's credit cards and bank accounts (masked), add, remove. */
'use strict';
document.addEventListener('DOMContentLoaded', async function () {
  const A = Anonpay;
  const el = A.el;
  let sources = [];
  let banks = [];
  const confirming = {};

  function bankName(b) {
    if (!b) return '';
    const l = A.lang();
    if (b.name && typeof b.name === 'object') return b.name[l] || b.name.ko || '';
    return (l === 'en' ? (b.nameEn || b.en) : (b.nameKo || b.ko)) || b.name || b.nameKo || b.ko || b.code || b.bankCode;
  }
  function bankCode(b) { return b.bankCode || b.code; }

  async function loadBanks() {
    const r = await A.api('GET', '/api/v1/banks');
    if (!r.ok) return;
    banks = Array.isArray(r.data) ? r.data : (r.data.banks || []);
    fillBanks();
  }
  function fillBanks() {
    const select = document.getElementById('bank-code');
    const chosen = select.value;
    while (select.options.length > 1) select.remove(1);
    banks.forEach(function (b) { select.appendChild(el('option', { value: bankCode(b) }, bankName(b))); });
    select.value = chosen;
  }

  async function loadSources() {
    const r = await A.api('GET', '/api/v1/funding-sources');
    if (!r.ok) {
      const e = document.getElementById('funding-list-error');
      e.textContent = A.errorText(r.error);
      e.hidden = false;
      return;
    }
    sources = r.data.sources || [];
    render();
  }

  function sourceBankName(s) {
    if (s.bankName && typeof s.bankName === 'object') return s.bankName[A.lang()] || s.bankName.ko;
    const b = banks.find(function (x) { return bankCode(x) === s.bankCode; });
    return b ? bankName(b) : (s.bankName || s.bankCode || '');
  }

  function render() {
    const ul = document.getElementById('funding-list');
    ul.replaceChildren();
    document.getElementById('funding-empty').hidden = sources.length > 0;
    sources.forEach(function (s) {
      const id = String(s.sourceId);
      const what = [A.label('funding.kind.', s.kind), s.kind === 'BANK_ACCOUNT' ? sourceBankName(s) : null].filter(Boolean).join(' · ');
      // expiry comes as YYMM, people read MM/YY
      const expiry = s.kind === 'CREDIT_CARD' && /^\d{4}$/.test(s.expiry || '') ? s.expiry.slice(2) + '/' + s.expiry.slice(0, 2) : null;
      const remove = el('button', { type: 'button', class: 'secondary', id: 'funding-remove-' + id, 'data-testid': 'funding-remove' }, A.t('funding.remove'));
      const actions = el('div', { class: 'actions' }, remove);
      if (confirming[id]) {
        remove.hidden = true;
        const yes = el('button', { type: 'button', class: 'danger', id: 'funding-remove-yes-' + id }, A.t('funding.remove.confirm') + ' ' + A.t('common.yes'));
        const no = el('button', { type: 'button', class: 'secondary', id: 'funding-remove-no-' + id }, A.t('common.cancel'));
        yes.addEventListener('click', function () { removeSource(id); });
        no.addEventListener('click', function () { delete confirming[id]; render(); });
        actions.appendChild(yes);
        actions.appendChild(no);
      }
      remove.addEventListener('click', function () { confirming[id] = true; render(); });
      ul.appendChild(el('li', { 'data-testid': 'funding-source', 'data-kind': s.kind, id: 'funding-source-' + id },
        el('div', null,
          el('div', null, what + ' ', el('span', { class: 'pan', 'data-testid': 'funding-masked' }, s.masked || ''),
            expiry ? ' · ' + expiry : null),
          s.label ? el('div', { class: 'muted' }, s.label) : null),
        actions));
    });
  }

  async function removeSource(id) {
    const r = await A.api('DELETE', '/api/v1/funding-sources/' + encodeURIComponent(id));
    delete confirming[id];
    if (r.ok) A.notice('funding-notice', A.t('funding.removed'), 'ok');
    else A.notice('funding-notice', A.errorText(r.error), 'error');
    await loadSources();
  }

  async function add(form, buttonId, body) {
    const button = document.getElementById(buttonId);
    button.disabled = true;
    try {
      const r = await A.api('POST', '/api/v1/funding-sources', body);
      if (r.ok) {
        form.reset();
        A.clearErrors(form);
        A.notice('funding-notice', A.t('funding.added'), 'ok');
        await loadSources();
      } else {
        A.showErrors(form, r.errors);
      }
    } finally {
      button.disabled = false;
    }
  }

  const ccForm = document.getElementById('cc-form');
  ccForm.addEventListener('submit', function (event) {
    event.preventDefault();
    const v = A.formValues(ccForm);
    // typed as MM/YY, sent as YYMM
    const m = v.expiry.match(/^(\d{2})\s*\/?\s*(\d{2})$/);
    if (!m) { A.showErrors(ccForm, [{ code: 'INVALID_FORMAT', field: 'expiry', message: A.t('funding.expiryFormat') }]); return; }
    const body = { kind: 'CREDIT_CARD', pan: v.pan.replace(/[\s-]/g, ''), expiry: m[2] + m[1], cvv2: v.cvv2 };
    if (v.label) body.label = v.label;
    add(ccForm, 'cc-submit', body);
  });

  const bankForm = document.getElementById('bank-form');
  bankForm.addEventListener('submit', function (event) {
    event.preventDefault();
    const v = A.formValues(bankForm);
    const body = { kind: 'BANK_ACCOUNT', bankCode: v.bankCode || null, accountNumber: v.accountNumber, holderName: v.holderName };
    if (v.label) body.label = v.label;
    add(bankForm, 'bank-submit', body);
  });

  await loadBanks();
  await loadSources();
  A.onLang(function () { fillBanks(); render(); });
});
