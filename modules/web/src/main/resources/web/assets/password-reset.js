/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The mailed link is <public-base-url>/password-reset#token=<43 chars>: the token rides in the
   fragment, which the browser never sends. It is read once and removed from the address bar. */
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  const A = Anonpay;
  const form = document.getElementById('reset-form');
  const match = location.hash.match(/(?:^#|&)token=([A-Za-z0-9_-]+)/);
  const token = match ? match[1] : null;
  if (location.hash) history.replaceState(null, '', location.pathname);
  if (!token) {
    A.notice('reset-notice', A.t('reset.noToken'), 'error');
    document.getElementById('reset-submit').disabled = true;
    return;
  }
  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    const button = document.getElementById('reset-submit');
    button.disabled = true;
    let done = false;
    try {
      const v = A.formValues(form);
      const r = await A.api('POST', '/api/v1/recovery/password/reset', { token: token, password: v.password, passwordConfirm: v.passwordConfirm });
      if (r.ok) {
        done = true;
        A.clearErrors(form);
        form.reset();
        A.notice('reset-notice', A.t('reset.done'), 'ok');
        document.getElementById('reset-to-login').hidden = false;
        return;
      }
      A.showErrors(form, r.errors);
    } finally {
      button.disabled = done;
    }
  });
});
