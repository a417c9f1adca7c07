// Optional enhancement: show and hide questions whose show_if depends on answers on the same
// page, as the person types. The server decides again on submit; without this script every
// such question is shown, with a line saying which answer it belongs to.
(function () {
  "use strict";
  var form = document.querySelector("form[data-earlier]");
  if (!form) return;
  var earlier = {};
  try { earlier = JSON.parse(form.getAttribute("data-earlier") || "{}"); } catch (e) { earlier = {}; }

  var fill = document.querySelector(".fill");
  if (fill) {
    var pct = 100 * Number(fill.getAttribute("data-step")) / Number(fill.getAttribute("data-steps"));
    fill.style.width = Math.min(100, pct) + "%";
  }
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  // Here the questions come and go by themselves: the lines for a page without the script
  // would only repeat that, on screen and to a screen reader.
  form.querySelectorAll(".only-if").forEach(function (hint) {
    hint.hidden = true;
    form.querySelectorAll('[aria-describedby~="' + hint.id + '"]').forEach(function (field) {
      var rest = field.getAttribute("aria-describedby").split(" ").filter(function (id) { return id !== hint.id; });
      if (rest.length) field.setAttribute("aria-describedby", rest.join(" "));
      else field.removeAttribute("aria-describedby");
    });
  });

  function current() {
    var answers = Object.assign({}, earlier);
    form.querySelectorAll(".question[data-question]").forEach(function (box) {
      if (box.hidden) return;
      var id = box.getAttribute("data-question"), kind = box.getAttribute("data-kind");
      var value = read(box, id, kind);
      if (value !== undefined) answers[id] = value; else delete answers[id];
    });
    return answers;
  }

  function read(box, id, kind) {
    var fields = box.querySelectorAll("[name]");
    if (kind === "multi") {
      var chosen = [];
      fields.forEach(function (f) { if (f.name === id && f.checked) chosen.push(f.value); });
      return chosen.length ? chosen : undefined;
    }
    if (kind === "matrix") {
      var grid = {}, any = false;
      fields.forEach(function (f) {
        if (f.checked) { grid[f.name.slice(id.length + 1)] = f.value === "nvt" ? "nvt" : Number(f.value); any = true; }
      });
      return any ? grid : undefined;
    }
    var value;
    fields.forEach(function (f) {
      if (f.name !== id) return;
      if (f.type === "radio" || f.type === "checkbox") { if (f.checked) value = f.value; }
      else if (f.value.trim() !== "") value = f.value.trim();
    });
    if (value === undefined) return undefined;
    if (kind === "yesno" || kind === "consent") return value === "ja";
    if (kind === "number" || (kind === "scale" && value !== "nvt")) {
      var n = Number(value.replace(",", "."));
      return isNaN(n) ? undefined : n;
    }
    return value;
  }

  function lookup(ref, answers) {
    var a = answers[ref.question];
    if (a === undefined || a === null) return undefined;
    if (ref.item) return (typeof a === "object" && !Array.isArray(a)) ? a[ref.item] : undefined;
    return a;
  }

  function value(ref, answers) {
    var a = lookup(ref, answers);
    if (a === "" || a === "nvt" || Array.isArray(a) || (a !== null && typeof a === "object")) return undefined;
    return a;
  }

  function lit(l) { return l.Text !== undefined ? l.Text : l.Num !== undefined ? l.Num : l.Bool; }

  function cmp(op, a, b) {
    if (a === undefined || b === undefined || typeof a !== typeof b) return false;
    switch (op) {
      case "Eq": return a === b; case "Ne": return a !== b;
      case "Lt": return a < b; case "Le": return a <= b;
      case "Gt": return a > b; case "Ge": return a >= b;
    }
    return false;
  }

  function ev(e, answers) {
    var k = Object.keys(e)[0], v = e[k];
    switch (k) {
      case "Lit": return lit(v);
      case "Ref": return value(v, answers);
      case "Not": return !(ev(v, answers) === true);
      case "And": return ev(v[0], answers) === true && ev(v[1], answers) === true;
      case "Or": return ev(v[0], answers) === true || ev(v[1], answers) === true;
      case "Cmp": return cmp(v[0], ev(v[1], answers), ev(v[2], answers));
      case "In":
        var x = ev(v.value, answers);
        if (x === undefined) return false;
        return v.list.some(function (l) { return lit(l) === x; }) !== v.negated;
      case "Arith":
        var a = ev(v[1], answers), b = ev(v[2], answers);
        if (typeof a !== "number" || typeof b !== "number") return undefined;
        var r = v[0] === "Add" ? a + b : v[0] === "Sub" ? a - b : v[0] === "Mul" ? a * b : (b === 0 ? NaN : a / b);
        return isFinite(r) ? r : undefined;
      case "Selected":
        var s = lookup(v[0], answers);
        return Array.isArray(s) ? s.indexOf(v[1]) >= 0 : s === v[1];
      case "Answered":
        var t = lookup(v, answers);
        return t !== undefined && t !== "" && !(Array.isArray(t) && t.length === 0);
      case "Count":
        var c = lookup(v, answers);
        return Array.isArray(c) ? c.length : 0;
    }
    return undefined;
  }

  function update() {
    // In page order, so a question hidden now no longer counts for the ones after it.
    form.querySelectorAll(".question[data-show-if]").forEach(function (box) {
      var expr;
      try { expr = JSON.parse(box.getAttribute("data-show-if")); } catch (e) { return; }
      box.hidden = ev(expr, current()) !== true;
    });
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
