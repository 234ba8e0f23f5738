/* SPDX-License-Identifier: AGPL-3.0-or-later */
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  const A = Anonpay;
  const form = document.getElementById('login-form');
  if (A.param('registered')) A.notice('login-notice', A.t('login.registered'), 'ok');
  if (A.param('reset')) A.notice('login-notice', A.t('login.reset'), 'ok');
  let justRegistered = null;
  try { justRegistered = sessionStorage.getItem('anonpay.registered'); sessionStorage.removeItem('anonpay.registered'); } catch (e) { /* none */ }
  if (justRegistered) document.getElementById('login-login').value = justRegistered;

  /** Only a path of this site: never an absolute or protocol-relative address (open redirect). */
  function next() {
    const n = A.param('next');
    return n && /^\/(?![\/\\])/.test(n) ? n : '/wallet';
  }

  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    const button = document.getElementById('login-submit');
    button.disabled = true;
    try {
      const v = A.formValues(form);
      const r = await A.api('POST', '/api/v1/sessions', { login: v.login, password: v.password });
      if (r.ok) {
        A.setCsrf(r.data.csrfToken);
        location.href = next();
        return;
      }
      document.getElementById('login-password').value = '';
      A.showErrors(form, r.errors);
    } finally {
      button.disabled = false;
    }
  });
});
