// Static: it reads data attributes as plain strings and never turns report
// text into markup or code.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var reqs = Array.prototype.slice.call(document.querySelectorAll("article.req"));
  if (form && reqs.length > 1) {
    form.hidden = false;
    var v = document.getElementById("f-verdict"), c = document.getElementById("f-code");
    var o = document.getElementById("f-origin"), u = document.getElementById("f-url");
    var shown = document.getElementById("f-shown");
    var apply = function () {
      var n = 0, ov = o.value.toLowerCase(), uv = u.value.toLowerCase();
      reqs.forEach(function (r) {
        var ok = (!v.value || r.dataset.verdict === v.value) &&
          (!c.value || r.dataset.code === c.value) &&
          (!ov || r.dataset.origin.toLowerCase().indexOf(ov) >= 0) &&
          (!uv || r.dataset.url.toLowerCase().indexOf(uv) >= 0);
        r.hidden = !ok;
        if (ok) { n++; }
      });
      shown.textContent = n + " of " + reqs.length + " shown";
    };
    form.addEventListener("input", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    apply();
  }
  document.addEventListener("click", function (e) {
    var b = e.target;
    if (!b.classList || !b.classList.contains("copy")) { return; }
    var pre = b.parentNode.querySelector("pre");
    var done = function () { b.textContent = "Copied"; setTimeout(function () { b.textContent = "Copy"; }, 1500); };
    var fallback = function () {
      var range = document.createRange();
      range.selectNodeContents(pre);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      try { document.execCommand("copy"); done(); } catch (err) { b.textContent = "Select and copy"; }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(pre.textContent).then(done, fallback);
    } else {
      fallback();
    }
  });
})();
