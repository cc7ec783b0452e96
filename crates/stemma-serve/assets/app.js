// stemma serve: the page behaviour. Served as /static/app.js (the CSP
// allows no inline script). It reads only data- attributes and element ids
// the server wrote, and writes text with textContent, never innerHTML, so
// document text can never become markup here.
'use strict';

(function () {
  // --- Side by side: click a sentence, see its counterpart. ---------------
  function clearHighlights() {
    document.querySelectorAll('.hl, .hl-cp, .hl-p').forEach(function (el) {
      el.classList.remove('hl', 'hl-cp', 'hl-p');
    });
  }

  function reveal(el) {
    if (el) el.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }

  function selectSentence(s) {
    clearHighlights();
    s.classList.add('hl');
    var ids = (s.getAttribute('data-cp') || '').split(' ').filter(Boolean);
    var first = null;
    ids.forEach(function (id) {
      var cp = document.getElementById(id);
      if (cp) {
        cp.classList.add('hl-cp');
        if (!first) first = cp;
      }
    });
    reveal(first);
  }

  function selectPassage(p) {
    clearHighlights();
    ['col-a', 'col-b'].forEach(function (col) {
      var els = document.querySelectorAll('#' + col + ' .s[data-p="' + p + '"]');
      els.forEach(function (el) { el.classList.add('hl-p'); });
      reveal(els[0]);
    });
  }

  document.addEventListener('click', function (ev) {
    var t = ev.target;
    if (!(t instanceof Element)) return;
    var pbtn = t.closest('.pbtn');
    if (pbtn) {
      var p = pbtn.getAttribute('data-p');
      if (p && /^[0-9]+$/.test(p)) selectPassage(p);
      return;
    }
    var jump = t.closest('a.jump');
    if (jump) {
      var target = document.getElementById((jump.getAttribute('href') || '').slice(1));
      if (target) {
        ev.preventDefault();
        clearHighlights();
        var s = target.closest('.s') || target;
        s.classList.add('hl');
        reveal(target);
      }
      return;
    }
    if (t.closest('a, button')) return;
    var s = t.closest('.cols .s');
    if (s) selectSentence(s);
  });

  document.addEventListener('keydown', function (ev) {
    var t = ev.target;
    if ((ev.key === 'Enter' || ev.key === ' ') && t instanceof Element && t.matches('.cols .s')) {
      ev.preventDefault();
      selectSentence(t);
    }
  });

  // A link to /compare?…#a:1234 (or #b:1234) selects the sentence of that
  // version holding byte 1234 of its text (how a claim links to its place).
  function selectFromHash() {
    var at = /^#([ab]):([0-9]+)$/.exec(location.hash);
    if (!at) return;
    var pos = Number(at[2]);
    var found = Array.prototype.find.call(document.querySelectorAll('#col-' + at[1] + ' .s'), function (s) {
      return Number(s.getAttribute('data-start')) <= pos && pos < Number(s.getAttribute('data-end'));
    });
    if (found) {
      selectSentence(found);
      reveal(found);
    }
  }
  selectFromHash();
  window.addEventListener('hashchange', selectFromHash);

  // --- Forms: say that the engine is working. --------------------------
  document.querySelectorAll('form.busy-form').forEach(function (f) {
    f.addEventListener('submit', function () {
      f.classList.add('busy');
    });
  });

  // --- Document page: family, copy tree and claims from /api/trace. ----
  // The section is filled from the trace report (schema stemma.trace);
  // renderTrace below is the one place that draws it.
  var trace = document.getElementById('trace');
  if (trace) {
    var url = trace.getAttribute('data-trace');
    var status = trace.querySelector('.trace-status');
    fetch(url, { headers: { Accept: 'application/json' } })
      .then(function (res) {
        if (res.status === 404) {
          status.textContent = 'This document is no longer in the index.';
          return null;
        }
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return res.json();
      })
      .then(function (data) {
        if (data) renderTrace(trace, data);
      })
      .catch(function (e) {
        status.textContent = 'Could not load the family: ' + e.message;
      });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = String(text);
    return e;
  }

  function docHref(id) {
    return '/doc?id=' + encodeURIComponent(id);
  }

  var SVG = 'http://www.w3.org/2000/svg';

  function svgEl(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) {
      e.setAttribute(k, String(attrs[k]));
    });
    if (text != null) e.textContent = String(text);
    return e;
  }

  // The copy tree, drawn in layers from the roots: one box per version
  // (a link to its page), dashed ellipses for lost versions, an arrow from
  // each source to its copy (two into a contaminated version).
  function drawTree(t) {
    var nodes = (t.tree && t.tree.nodes) || [];
    var edges = (t.tree && t.tree.edges) || [];
    var depth = nodes.map(function () { return 0; });
    for (var pass = 0; pass < nodes.length; pass++) {
      edges.forEach(function (e) {
        if (depth[e.to] < depth[e.from] + 1) depth[e.to] = depth[e.from] + 1;
      });
    }
    var layers = [];
    nodes.forEach(function (n, i) {
      (layers[depth[i]] = layers[depth[i]] || []).push(i);
    });
    var W = 150, H = 34, GX = 24, GY = 56;
    var widest = layers.reduce(function (m, l) { return Math.max(m, (l || []).length); }, 1);
    var width = widest * (W + GX) + GX, height = layers.length * (H + GY) + GY / 2;
    var pos = {};
    layers.forEach(function (l, d) {
      var offset = (width - l.length * (W + GX) + GX) / 2;
      l.forEach(function (i, k) {
        pos[i] = { x: offset + k * (W + GX), y: GY / 2 + d * (H + GY) };
      });
    });
    var svg = svgEl('svg', { class: 'stemma-tree', viewBox: '0 0 ' + width + ' ' + height, width: width, height: height, role: 'img', 'aria-label': 'copy tree' });
    var defs = svgEl('defs');
    var marker = svgEl('marker', { id: 'arrowhead', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    marker.appendChild(svgEl('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#555' }));
    defs.appendChild(marker);
    svg.appendChild(defs);
    edges.forEach(function (e) {
      var a = pos[e.from], b = pos[e.to];
      if (!a || !b) return;
      var line = svgEl('line', { x1: a.x + W / 2, y1: a.y + H, x2: b.x + W / 2, y2: b.y, stroke: '#555', 'stroke-width': 1 + 2 * (e.confidence || 0), 'marker-end': 'url(#arrowhead)' });
      line.appendChild(svgEl('title', null, 'confidence ' + (e.confidence || 0).toFixed(2) + ' (' + e.basis + '): ' + (e.evidence || []).join('; ')));
      svg.appendChild(line);
    });
    nodes.forEach(function (n, i) {
      var p = pos[i];
      var g = svgEl('g', { class: 'node' + (n.kind === 'lost' ? ' lost' : '') + (n.id === t.focus ? ' focus' : '') });
      if (n.kind === 'lost') {
        g.appendChild(svgEl('ellipse', { cx: p.x + W / 2, cy: p.y + H / 2, rx: W / 2, ry: H / 2, fill: '#fff', stroke: '#888', 'stroke-dasharray': '5 4' }));
      } else {
        g.appendChild(svgEl('rect', { x: p.x, y: p.y, width: W, height: H, rx: 5, fill: n.id === t.focus ? '#fde68a' : '#fff', stroke: '#333' }));
      }
      var label = String(n.label || '');
      g.appendChild(svgEl('text', { x: p.x + W / 2, y: p.y + H / 2 + 4, 'text-anchor': 'middle', 'font-size': 12 }, label.length > 22 ? label.slice(0, 21) + '…' : label));
      g.appendChild(svgEl('title', null, label));
      if (n.kind !== 'lost' && n.id) {
        var link = svgEl('a', { href: docHref(n.id) });
        link.appendChild(g);
        svg.appendChild(link);
      } else {
        svg.appendChild(g);
      }
    });
    return svg;
  }

  function compareHref(a, b, at) {
    return '/compare?a=' + encodeURIComponent(a) + '&b=' + encodeURIComponent(b) + (at != null ? '#a:' + at : '');
  }

  // Draws a stemma.trace report: the versions of the family, the copy
  // tree, and the claims of this document: flagged ones listed (each a link
  // to the side-by-side view at its place), corroborated ones counted.
  function renderTrace(section, t) {
    var status = section.querySelector('.trace-status');
    if (status) status.remove();
    var versions = Array.isArray(t.versions) ? t.versions : [];
    var list = el('ul', 'family');
    versions.forEach(function (v) {
      var li = el('li');
      var a = el('a', null, v.id);
      a.href = docHref(v.id);
      li.appendChild(a);
      var meta = [v.series, v.date].filter(Boolean).join(' · ');
      if (meta) li.appendChild(el('span', 'muted', ' · ' + meta));
      list.appendChild(li);
    });
    section.appendChild(el('h3', null, 'Family (' + versions.length + ' versions)'));
    section.appendChild(list);
    if (versions.length > 1) {
      section.appendChild(el('h3', null, 'Copy tree'));
      var box = el('div', 'tree');
      box.appendChild(drawTree(t));
      section.appendChild(box);
    }
    var mine = (Array.isArray(t.claims) ? t.claims : []).filter(function (c) { return c.version === t.focus; });
    var flagged = mine.filter(function (c) { return c.status !== 'corroborated'; });
    var corroborated = mine.length - flagged.length;
    section.appendChild(el('h3', null, 'What this version says, against the others'));
    section.appendChild(el('p', 'muted', corroborated + ' claim(s) corroborated by other versions; ' + flagged.length + ' flagged.'));
    if (!flagged.length) return;
    var table = el('table', 'claims');
    var head = el('tr');
    ['status', 'kind', 'claim', 'elsewhere'].forEach(function (h) {
      head.appendChild(el('th', null, h));
    });
    table.appendChild(head);
    var closest = versions.length > 1 ? versions[1].id : null;
    flagged.forEach(function (c) {
      var tr = el('tr', 'claim claim-' + String(c.status || '').replace(/[^a-z_]/g, ''));
      tr.appendChild(el('td', 'flag-cell', c.status + (c.change ? ' (' + c.change + ')' : '')));
      tr.appendChild(el('td', null, c.kind + (c.in_headline ? ', headline' : '')));
      var text = el('td', 'claim-text');
      var other = c.other ? c.other.version : closest;
      var start = c.span ? c.span.start : null;
      if (other) {
        var a = el('a', null, c.span && c.span.text);
        a.href = compareHref(t.focus, other, start);
        text.appendChild(a);
      } else {
        text.textContent = c.span ? c.span.text : '';
      }
      if (c.speaker && c.speaker.text) text.appendChild(el('span', 'muted', ' — ' + c.speaker.text));
      tr.appendChild(text);
      tr.appendChild(el('td', null, c.other ? c.other.version + ': ' + c.other.span.text : ''));
      table.appendChild(tr);
    });
    section.appendChild(table);
  }
})();
