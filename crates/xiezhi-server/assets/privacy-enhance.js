// Progressive enhancement of the privacy center (Xiezhi). The page works without this script:
// every switch is a plain form that posts and redirects back. With it, the switches in the
// sections below save in place: the form is posted with fetch, the server's own re-rendered
// page is fetched (the redirect is followed), and only the changed section is swapped in, so
// the state shown is always the server's. Focus returns to the same control; the result is
// announced in a live region. Any failure falls back to the normal form submission.
(function () {
  'use strict';
  var SECTIONS = ['recommendation', 'push', 'tags', 'consents'];
  var live = document.createElement('p');
  live.id = 'enhance-status';
  live.className = 'notice';
  live.setAttribute('role', 'status');
  live.setAttribute('aria-live', 'polite');
  live.hidden = true;
  var main = document.querySelector('main');
  if (!main || !window.fetch || !window.DOMParser) return;
  main.insertBefore(live, main.firstChild);

  function keyOf(button) {
    return button.id ? '#' + button.id : button.getAttribute('aria-label');
  }

  function findAgain(section, key) {
    if (!key) return null;
    if (key.charAt(0) === '#') return section.querySelector(key);
    var all = section.querySelectorAll('button[aria-label]');
    for (var i = 0; i < all.length; i++) {
      if (all[i].getAttribute('aria-label') === key) return all[i];
    }
    return null;
  }

  function enhance(section) {
    section.addEventListener('submit', function (ev) {
      var form = ev.target;
      if (!(form instanceof HTMLFormElement) || form.dataset.sending === '1') return;
      ev.preventDefault();
      var button = form.querySelector('button[type=submit]');
      var key = button ? keyOf(button) : null;
      form.dataset.sending = '1';
      if (button) button.setAttribute('aria-busy', 'true');
      fetch(form.action, {
        method: 'POST',
        body: new URLSearchParams(new FormData(form)),
        credentials: 'same-origin',
        redirect: 'follow',
        headers: { 'X-Requested-With': 'xiezhi-enhance' }
      })
        .then(function (r) {
          if (!r.ok) throw new Error('HTTP ' + r.status);
          return r.text().then(function (text) { return { url: r.url, text: text }; });
        })
        .then(function (res) {
          var doc = new DOMParser().parseFromString(res.text, 'text/html');
          var fresh = doc.getElementById(section.id);
          if (!fresh) throw new Error('section missing');
          var notice = doc.querySelector('main > p.notice[role=status]');
          var replacement = document.importNode(fresh, true);
          section.replaceWith(replacement);
          enhance(replacement);
          live.textContent = notice ? notice.textContent : '';
          live.hidden = !notice;
          var old = document.querySelector('main > p.notice[role=status]:not(#enhance-status)');
          if (old) old.remove();
          if (res.url) history.replaceState(null, '', res.url);
          var again = findAgain(replacement, key) || replacement.querySelector('h2');
          if (again) {
            if (again.tagName === 'H2') again.setAttribute('tabindex', '-1');
            again.focus();
          }
          document.documentElement.dataset.enhancedSaves =
            String(Number(document.documentElement.dataset.enhancedSaves || '0') + 1);
        })
        .catch(function () {
          form.dataset.sending = '1';
          form.submit();
        });
    });
  }

  SECTIONS.forEach(function (id) {
    var s = document.getElementById(id);
    if (s) enhance(s);
  });
  document.documentElement.dataset.enhanced = 'true';
})();
