/* reports/html/report.js — draws report.html from the report's JSON
 * (compiled into sipflow; docs/reports.md says what the page shows):
 * a summary table, failures first, with a filter; per scenario a ladder
 * (lanes ordered for the fewest crossings, time on the left, every arrow
 * labelled and coloured by its verdict, RTP as bands with their figures,
 * do: steps as the action on their role's lane), the message pane beside
 * it, the verdict and findings tables. No network resources. */
'use strict';
const NS = 'http://www.w3.org/2000/svg';
const data = JSON.parse(document.getElementById('data').textContent);
const page = JSON.parse(document.getElementById('page').textContent);
const COL = {pass: '#2a7d2a', fail: '#c62828', skip: '#b08900',
	notrun: '#999999', other: '#888888', capture: '#333333'};
const TX = 64, X0 = TX + 90, W = 180, Y0 = 64, DY = 30, CUT = 56;

function el(tag, attrs, text, svg) {
	const e = svg ? document.createElementNS(NS, tag)
		: document.createElement(tag);
	for (const k in attrs || {})
		if (attrs[k] !== undefined && attrs[k] !== null)
			e.setAttribute(k, attrs[k]);
	if (text !== undefined && text !== null)
		e.textContent = text;
	return e;
}
function sv(tag, attrs, text) { return el(tag, attrs, text, true); }
function secs(ms) { return (ms / 1000).toFixed(3); }
/* a figure as a reader wants it: at most two decimals */
function num(x) { return String(Math.round(x * 100) / 100); }
function short(line) {
	return (line || '').replace(/ SIP\/2\.0$/, '').replace(/^SIP\/2\.0 /, '');
}
function cut(s) { return s.length > CUT ? s.slice(0, CUT - 1) + '…' : s; }
function badge(word) {
	return el('span', {class: 'badge ' + word}, word.toUpperCase());
}
function pcapHref(p) { return (page.links && page.links[p]) || p; }
function firstFail(sc) {
	return sc.steps.find(s => s.status === 'fail') || null;
}
function scnId(sc) { return 'scn-' + sc.name; }
/* a capture took as long as its messages span */
function span(sc) {
	const m = sc.messages;
	return sc.result === 'capture' && m.length ?
		m[m.length - 1].t_ms - m[0].t_ms : sc.duration_ms;
}

/* --- media figures, as words ---------------------------------------- */
function figText(f) {
	if (!f.measured)
		return `${f.from} → ${f.to}: not measured (${f.to} is a device ` +
			'under test)';
	let t = `${f.from ? f.from + ' → ' : 'at '}${f.to}: ${f.packets} ` +
		`packets (about ${f.expected} expected), loss ` +
		`${num(f.loss_pct)} %, jitter ${num(f.jitter_ms)} ms, level ` +
		`${num(f.level_dbov)} dBov`;
	if (f.packets)
		t += `, MOS ${num(f.mos)}`;
	t += f.audio ? ', audio' : ', no audio';
	if (f.heard_hz)
		t += `, heard ${f.heard_hz} Hz (share ${num(f.heard_share)})`;
	if (f.tone_hz)
		t += `, expected ${f.tone_hz} Hz (share ${num(f.tone_share)})`;
	if (f.dtmf !== undefined)
		t += `, DTMF "${f.dtmf}"`;
	return t;
}
function figShort(f) {
	if (!f.measured)
		return 'not measured (device)';
	let t = `RTP ${f.from || ''}→${f.to} ${f.packets} pkts, loss ` +
		`${num(f.loss_pct)}%, jitter ${num(f.jitter_ms)} ms`;
	if (f.packets)
		t += `, MOS ${num(f.mos)}`;
	if (f.dtmf !== undefined)
		return t + `, DTMF "${f.dtmf}"`;
	if (!f.audio)
		return t + ', no audio';
	if (f.tone_hz && f.heard_hz !== f.tone_hz)
		return t + `, heard ${f.heard_hz || 'no'} Hz, want ` +
			`${f.tone_hz} Hz`;
	return t + (f.heard_hz ? `, ${f.heard_hz} Hz` : '');
}
/* the verdict of one direction: a failed step's reason names it */
function figStatus(s, f, n) {
	if (!f.measured)
		return 'notrun';
	if (s.status !== 'fail')
		return s.status;
	const dir = (f.from ? f.from + ' -> ' : 'at ') + f.to + ':';
	if (n === 1 || (s.reason || '').startsWith(dir))
		return 'fail';
	return 'pass';
}

/* --- the summary ---------------------------------------------------- */
function summary() {
	const t = data.totals, box = document.getElementById('summary');
	const caps = data.scenarios.filter(s => s.result === 'capture');
	const p = el('p', {class: 'counts'});

	if (caps.length && caps.length === data.scenarios.length) {
		p.append(el('span', {id: 'n-captures'}, `${caps.length} ` +
			`capture${caps.length > 1 ? 's' : ''}: the messages as ` +
			'captured, not judged (no verdicts)'));
	} else {
		for (const [k, w, c] of [['scenarios', 'scenarios', ''],
			['passed', 'passed', 'n-pass'],
			['failed', 'failed', 'n-fail'],
			['skipped', 'skipped', ''], ['not_run', 'not run', ''],
			['refused', 'refused', '']]) {
			if (k !== 'scenarios' && k !== 'passed' && k !== 'failed' &&
			    !t[k])
				continue;
			const s = el('span', {id: 'n-' + k,
				class: t[k] && c ? c : ''});
			s.append(el('b', {}, String(t[k])), ' ' + w);
			p.append(s);
		}
	}
	p.append(el('span', {class: 'meta'}, `started ${data.started}, ` +
		`${secs(data.duration_ms)} s` +
		(data.interrupted ? ' (interrupted)' : '')));
	box.append(p);

	const tools = el('div', {id: 'tools'});
	const q = el('input', {id: 'filter', type: 'search',
		placeholder: 'filter: name, file, step, reason'});
	const sel = el('select', {id: 'show'});
	for (const [v, w] of [['all', 'all results'], ['fail', 'failed'],
		['pass', 'passed'], ['skip', 'skipped']])
		sel.append(el('option', {value: v}, w));
	tools.append(q, ' ', sel, ' ', el('span', {id: 'shown'}));
	box.append(tools);

	const tb = el('table', {id: 'scenario-table'});
	const hr = el('tr');
	for (const h of ['result', 'scenario', 'steps', 'time', 'pcap',
		'first failure'])
		hr.append(el('th', {}, h));
	tb.append(hr);
	/* failures (and refusals) first, then the suite's order */
	const bad = sc => sc.result === 'fail' || sc.result === 'refused';
	const order = data.scenarios.map((sc, i) => [sc, i]).sort((a, b) =>
		!bad(a[0]) - !bad(b[0]) || a[1] - b[1]);
	for (const [sc] of order) {
		/* "failed" shows the refused too: neither passed */
		const tr = el('tr', {class: sc.result +
			(sc.result === 'refused' ? ' fail' : ''),
			'data-name': sc.name});
		const ff = firstFail(sc);
		const td = el('td');
		td.append(el('a', {href: '#' + scnId(sc)}, sc.name));
		if (sc.title)
			td.append(el('span', {class: 'meta'}, ' ' + sc.title));
		const pc = el('td');
		if (sc.pcap)
			pc.append(el('a', {href: pcapHref(sc.pcap)}, 'pcap'));
		tr.append(el('td'), td, el('td', {}, sc.result === 'capture' ?
			`${sc.messages.length} messages` : sc.result === 'skip' ?
			'' : `${sc.passed} passed, ${sc.failed} failed`),
			el('td', {}, secs(span(sc)) + ' s'), pc,
			el('td', {class: 'reason'}, sc.result === 'skip' ?
			sc.skip_reason : sc.result === 'refused' ?
			sc.refuse_reason || '' :
			ff ? `${ff.id}: ${ff.reason || ''}` : ''));
		tr.firstChild.append(badge(sc.result));
		tr._text = [sc.name, sc.title, sc.file, ff && ff.id,
			ff && ff.reason, sc.skip_reason, sc.refuse_reason]
			.join(' ').toLowerCase();
		tb.append(tr);
	}
	box.append(tb);

	const apply = () => {
		const words = q.value.toLowerCase().trim();
		let n = 0;
		for (const tr of tb.querySelectorAll('tr[data-name]')) {
			const ok = (!words || tr._text.includes(words)) &&
				(sel.value === 'all' ||
				 tr.classList.contains(sel.value));
			tr.hidden = !ok;
			const sec = document.getElementById('scn-' +
				tr.dataset.name);
			if (sec)
				sec.hidden = !ok;
			n += ok;
		}
		document.getElementById('shown').textContent =
			`${n} of ${data.scenarios.length} shown`;
	};
	q.addEventListener('input', apply);
	sel.addEventListener('change', apply);
	const u = new URLSearchParams(location.search);
	q.value = u.get('filter') || '';
	sel.value = u.get('show') || 'all';
	return apply;
}

/* --- lanes in the order with the fewest crossings --------------------- */
function laneOrder(names, pairs) {
	const n = names.length, idx = new Map(names.map((x, i) => [x, i]));
	const w = names.map(() => names.map(() => 0));
	for (const [a, b] of pairs) {
		if (a === b || !idx.has(a) || !idx.has(b))
			continue;
		w[idx.get(a)][idx.get(b)]++;
		w[idx.get(b)][idx.get(a)]++;
	}
	/* the lanes every arrow passes: sum of weight times distance */
	const cost = p => {
		const pos = [];
		p.forEach((r, i) => { pos[r] = i; });
		let c = 0;
		for (let i = 0; i < n; i++)
			for (let j = i + 1; j < n; j++)
				c += w[i][j] * Math.abs(pos[i] - pos[j]);
		return c;
	};
	let best = names.map((x, i) => i), bc = cost(best);
	if (n <= 7) {
		/* every order, declaration order first: ties keep it */
		const p = [], used = [];
		const rec = () => {
			if (p.length === n) {
				const c = cost(p);
				if (c < bc) { bc = c; best = p.slice(); }
				return;
			}
			for (let i = 0; i < n; i++) {
				if (used[i])
					continue;
				used[i] = true; p.push(i); rec(); p.pop();
				used[i] = false;
			}
		};
		rec();
	} else {
		/* too many to try all: swap while it helps (bounded) */
		for (let round = 0, better = true; better && round < 50;
		     round++) {
			better = false;
			for (let i = 0; i < n; i++)
				for (let j = i + 1; j < n; j++) {
					const p = best.slice();
					[p[i], p[j]] = [p[j], p[i]];
					const c = cost(p);
					if (c < bc) { bc = c; best = p; better = true; }
				}
		}
	}
	return best.map(i => names[i]);
}

/* --- the rows of a ladder, in time order ------------------------------ */
function rowsOf(sc) {
	const capture = sc.result === 'capture';
	const wrong = new Map(), found = new Map();
	for (const s of sc.steps)
		if (s.status === 'fail' && s.frame)
			wrong.set(s.frame, s);
	for (const f of sc.findings)
		if (f.frame)
			(found.get(f.frame) || found.set(f.frame, []).get(f.frame))
				.push(f);
	const rows = sc.messages.map(m => {
		const f = wrong.get(m.frame);
		const un = f && f.id !== m.step ? f : null;
		return {kind: 'msg', m: m, t: m.t_ms, step: un ? un.id : m.step,
			status: un ? 'fail' : m.status ||
				(capture ? 'capture' : 'other'),
			unexpected: un, findings: found.get(m.frame) || []};
	});
	const extra = [];
	for (const s of sc.steps) {
		if (s.status === 'notrun')
			continue;
		if (s.type === 'message' && s.status === 'fail' && !s.frame)
			extra.push({kind: 'missing', s: s, t: s.t_ms, step: s.id,
				status: 'fail', after: true});
		else if (s.type === 'do')
			extra.push({kind: 'do', s: s, t: s.t_ms, step: s.id,
				status: s.status, after: false});
		else if (s.type === 'media' && (s.media || []).length)
			s.media.forEach(f => extra.push({kind: 'media', s: s,
				f: f, t: f.end_ms, step: s.id,
				status: figStatus(s, f, s.media.length),
				after: true}));
		else if (s.type === 'media')
			extra.push({kind: 'media', s: s, f: null, t: s.t_ms,
				step: s.id, status: s.status, after: true});
	}
	/* a do: before the messages of its moment, a result after them */
	const out = [];
	let i = 0;
	extra.sort((a, b) => a.t - b.t);
	for (const x of extra) {
		while (i < rows.length && (x.after ? rows[i].t <= x.t
					   : rows[i].t < x.t))
			out.push(rows[i++]);
		out.push(x);
	}
	return out.concat(rows.slice(i));
}

/* --- what the pane shows for a row ------------------------------------ */
function detail(sc, r) {
	const step = id => sc.steps.find(s => s.id === id);
	if (r.kind === 'msg') {
		const m = r.m, s = r.step ? step(r.step) : null;
		let h = `frame ${m.frame} — ${secs(m.t_ms)} s — ${m.from} → ` +
			`${m.to}\n`;
		if (r.unexpected)
			h += `UNEXPECTED: ${s.id} ${s.what} FAIL: ${s.reason}\n`;
		else if (s)
			h += `${s.id} ${s.what}: ${s.status.toUpperCase()}` +
				(s.reason ? ': ' + s.reason : '') + '\n';
		else if (sc.result !== 'capture')
			h += 'not a step of the flow (not judged)\n';
		if (m.copy_of)
			h += `a retransmission of frame ${m.copy_of}\n`;
		if (m.lost)
			h += 'lost on purpose: written, never delivered\n';
		if (m.teardown)
			h += 'teardown: after the flow\n';
		for (const f of r.findings)
			h += `⚠ ${f.severity} ${f.rule} (${f.rfc}): ${f.text}` +
				(f.got ? ' — got ' + f.got : '') + '\n';
		return h + '\n' + m.text;
	}
	const s = r.s;
	let h = `${s.id}: ${s.what} — ${s.status.toUpperCase()}` +
		(s.t_ms !== undefined ? ` at ${secs(s.t_ms)} s` : '') + '\n';
	if (s.reason)
		h += s.reason + '\n';
	if (s.device_ms !== undefined)
		h += `${s.stimulus ? 'driver' : 'device'}: ${s.device_ms} ms\n`;
	for (const f of s.media || [])
		h += '\n' + figText(f);
	return h;
}

/* --- one ladder ------------------------------------------------------ */
function ladder(sc, k, box, pre) {
	const rows = rowsOf(sc);
	let names = sc.roles.map(r => r.name);
	for (const m of sc.messages)
		for (const x of [m.from, m.to])
			if (!names.includes(x))
				names.push(x);
	const pairs = sc.messages.map(m => [m.from, m.to]);
	for (const r of rows)
		if (r.kind === 'missing')
			pairs.push([r.s.from, r.s.to]);
		else if (r.kind === 'media' && r.f && r.f.from)
			pairs.push([r.f.from, r.f.to]);
	names = laneOrder(names, pairs);
	const addr = new Map(sc.roles.map(r => [r.name, r.address]));
	const X = n => X0 + W * Math.max(0, names.indexOf(n));
	const right = X0 + W * (names.length - 1) + 400;
	const H = Y0 + DY * (rows.length + 1);
	const svg = sv('svg', {width: right, height: H, class: 'ladder',
		'data-scenario': sc.name});
	const defs = sv('defs');
	for (const st in COL) {
		const mk = sv('marker', {id: `h${k}-${st}`, markerWidth: 10,
			markerHeight: 8, refX: 9, refY: 4, orient: 'auto'});
		mk.append(sv('path', {d: 'M0,0 L9,4 L0,8 z', fill: COL[st]}));
		defs.append(mk);
	}
	svg.append(defs);
	svg.append(sv('text', {x: TX - 8, y: 20, 'text-anchor': 'end',
		class: 'time'}, 'time (s)'));
	const lanes = sv('g', {class: 'lanes'});
	names.forEach(n => {
		const x = X(n);
		lanes.append(sv('text', {x: x, y: 18, 'text-anchor': 'middle',
			class: 'role'}, n));
		if (addr.get(n) && addr.get(n) !== n)
			lanes.append(sv('text', {x: x, y: 32,
				'text-anchor': 'middle', class: 'addr'},
				addr.get(n)));
		lanes.append(sv('line', {x1: x, y1: 40, x2: x, y2: H - DY / 2,
			class: 'lane', 'data-role': n}));
	});
	svg.append(lanes);
	const bands = sv('g', {class: 'bands'});
	svg.append(bands);

	let selected = null;
	const show = (g, r) => {
		if (selected)
			selected.classList.remove('selected');
		selected = g;
		g.classList.add('selected');
		pre.textContent = detail(sc, r);
		pre.className = 'msg';
		/* what the pane shows, for a reader of the DOM (tests) */
		pre.parentNode.dataset.frame = r.m ? r.m.frame : '';
		pre.parentNode.dataset.step = r.step || '';
	};

	rows.forEach((r, i) => {
		const y = Y0 + DY * i, c = COL[r.status] || COL.other;
		const g = sv('g', {class: `row ${r.kind} ${r.status}` +
			(r.unexpected ? ' unexpected' : '') +
			(r.findings && r.findings.length ? ' finding' : '') +
			(r.m && r.m.teardown ? ' teardown' : ''),
			'data-step': r.step || '', 'data-status': r.status,
			'data-frame': r.m ? r.m.frame : 0, 'data-kind': r.kind});
		g.append(sv('rect', {class: 'hit', x: 0, y: y - DY + 8,
			width: right, height: DY}));
		g.append(sv('text', {x: TX - 8, y: y + 4, 'text-anchor': 'end',
			class: 'time'}, secs(r.t)));
		let label, x1, x2, dash = null, width = 1.5;
		if (r.kind === 'do') {
			const x = X(r.s.from);
			label = (r.s.id.startsWith('do@') ? '' : r.s.id + ' ') +
				r.s.what.replace(/^do \S+ /, 'do: ');
			const bw = Math.min(W - 10, 12 + 7.2 * cut(label).length);
			g.append(sv('rect', {class: 'box', x: x - bw / 2,
				y: y - 13, width: bw, height: 20, rx: 4,
				stroke: c}));
			g.append(sv('text', {x: x, y: y + 1,
				'text-anchor': 'middle', fill: c}, cut(label)));
		} else {
			if (r.kind === 'msg') {
				x1 = X(r.m.from); x2 = X(r.m.to);
				label = (r.step ? r.step + ' ' : '') +
					short(r.m.line);
				if (r.unexpected)
					label = `✗ ${r.step} got ${short(r.m.line)}, ` +
						`expected ${r.unexpected.what}`;
				if (r.m.copy_of)
					label += ` (copy of ${r.m.copy_of})`;
				if (r.m.lost) {
					label += ' (lost)';
					dash = '2 4';
				}
				if (r.m.teardown)
					label += ' (teardown)';
				if (r.unexpected)
					width = 2.5;
			} else if (r.kind === 'missing') {
				x1 = X(r.s.from); x2 = X(r.s.to);
				label = `✗ ${r.s.id} ${r.s.what} (missing)`;
				dash = '6 4';
			} else {
				const f = r.f;
				x1 = f && f.from ? X(f.from) : X(r.s.to);
				x2 = f ? X(f.to) : X(r.s.to);
				label = `${r.s.id.startsWith('media@') ? '' :
					r.s.id + ' '}${f ? figShort(f) : r.s.what}`;
				width = 8;
				if (f) {
					let j = rows.findIndex(q =>
						q.t >= f.start_ms);
					if (j < 0 || j > i)
						j = i;
					const y0 = Y0 + DY * j - DY / 2;
					bands.append(sv('rect', {class: 'band',
						x: Math.min(x1, x2), y: y0,
						width: Math.max(Math.abs(x2 - x1), 6),
						height: y - y0, fill: c,
						'data-step': r.s.id}));
				}
			}
			if (x1 === x2) {
				g.append(sv('path', {d: `M${x1},${y - 8} h30 v14 h-28`,
					fill: 'none', stroke: c,
					'stroke-width': width,
					'marker-end': `url(#h${k}-${r.status})`}));
			} else {
				g.append(sv('line', {x1: x1, y1: y, x2: x2, y2: y,
					stroke: c, 'stroke-width': width,
					'stroke-opacity': r.kind === 'media' ? 0.45 : 1,
					'stroke-dasharray': dash,
					'marker-end': r.kind === 'media' ? null :
						`url(#h${k}-${r.status})`}));
			}
			const left = x1 === x2 || r.kind === 'media';
			const tx = x1 === x2 ? x1 + 36 : r.kind === 'media' ?
				Math.min(x1, x2) + 4 : (x1 + x2) / 2;
			const t = sv('text', {x: tx, y: y - 7, fill: c,
				'text-anchor': left ? 'start' : 'middle',
				class: 'label'});
			if (r.findings && r.findings.length)
				t.append(sv('tspan', {class: 'finding-mark'}, '⚠ '));
			t.append(document.createTextNode(r.kind === 'media' ?
				label : cut(label)));
			g.append(t);
		}
		g.append(sv('title', {}, r.m ? `frame ${r.m.frame}, ` +
			`${secs(r.m.t_ms)} s` + r.findings.map(f =>
			`\n⚠ ${f.rule}: ${f.text}`).join('') :
			(r.s.reason || r.s.what)));
		g.addEventListener('click', () => show(g, r));
		svg.append(g);
	});
	box.append(svg);
	return show;
}

/* --- one scenario ---------------------------------------------------- */
function stepRoles(s) {
	if (s.type === 'do')
		return s.from || '';
	if (s.type === 'media')
		return s.from ? `${s.from} → ${s.to}` : s.to ? 'at ' + s.to : '';
	return s.from ? `${s.from} → ${s.to}` : '';
}

function scenario(sc, k) {
	const sec = el('section', {class: sc.result, id: scnId(sc)});
	const h = el('h2');
	h.append(badge(sc.result), ' ' + sc.name +
		(sc.title ? ' — ' + sc.title : ''));
	sec.append(h);
	if (sc.result === 'skip') {
		sec.append(el('p', {class: 'skip'}, 'skipped: '+sc.skip_reason));
		return sec;
	}
	const meta = el('p', {class: 'meta'});
	meta.append(el('span', {}, sc.result === 'capture' ?
		`${sc.messages.length} messages, not judged` :
		`${sc.passed} passed, ${sc.failed} failed, ${sc.skipped} ` +
		`skipped, ${sc.not_run} not run`),
		el('span', {}, secs(span(sc)) + ' s'));
	if (sc.file && sc.file !== sc.pcap)
		meta.append(el('span', {}, sc.file));
	if (sc.pcap) {
		const s = el('span', {}, 'capture: ');
		s.append(el('a', {href: pcapHref(sc.pcap), class: 'pcap'},
			sc.pcap));
		meta.append(s);
	}
	sec.append(meta);
	if (sc.source)
		sec.append(el('p', {class: 'meta source'}, 'Source: ' +
			sc.source));

	const flow = el('div', {class: 'flow'});
	const box = el('div', {class: 'ladder-box'});
	const pane = el('div', {class: 'pane'});
	const pre = el('pre', {class: 'msg empty'},
		'Click an arrow to see its message here.');
	pane.append(pre);
	flow.append(box, pane);
	sec.append(flow);
	const show = ladder(sc, k, box, pre);
	const at = frame => {
		const g = box.querySelector(`g.row[data-frame="${frame}"]`);
		if (g)
			g.dispatchEvent(new MouseEvent('click', {bubbles: true}));
	};

	if (sc.steps.length) {
		const tb = el('table', {class: 'steps'});
		const hr = el('tr');
		for (const x of ['step', 'what', 'roles', 'verdict', 'time',
			'frame', 'reason'])
			hr.append(el('th', {}, x));
		tb.append(hr);
		for (const s of sc.steps) {
			if (s.type === 'group' || s.type === 'wait')
				continue;
			const tr = el('tr', {class: s.status, 'data-step': s.id});
			const fr = el('td');
			if (s.frame) {
				const a = el('a', {href: 'javascript:void 0'},
					String(s.frame));
				a.addEventListener('click', () => at(s.frame));
				fr.append(a);
			}
			tr.append(el('td', {}, s.id), el('td', {}, s.what),
				el('td', {class: 'roles'}, stepRoles(s)),
				el('td', {}, s.status + (s.device_ms !== undefined ?
				` (${s.stimulus ? 'driver' : 'device'} ` +
				`${s.device_ms} ms)` : '')),
				el('td', {}, s.status === 'notrun' ? '' :
					secs(s.t_ms)), fr,
				el('td', {class: 'reason'}, [s.reason || '']
					.concat((s.media || []).map(figText))
					.filter(x => x).join('\n')));
			tr.lastChild.style.whiteSpace = 'pre-line';
			tb.append(tr);
		}
		sec.append(tb);
	}
	if (sc.findings.length) {
		const ft = el('table', {class: 'findings'});
		const hr = el('tr');
		for (const x of ['rule', 'RFC', 'severity', 'step', 'frame',
			'what'])
			hr.append(el('th', {}, x));
		ft.append(hr);
		for (const f of sc.findings) {
			const tr = el('tr', {class: f.severity === 'error' ?
				'fail' : 'skip'});
			const fr = el('td');
			const a = el('a', {href: 'javascript:void 0'},
				String(f.frame));
			a.addEventListener('click', () => at(f.frame));
			fr.append(a);
			tr.append(el('td', {}, f.rule), el('td', {}, f.rfc),
				el('td', {}, f.severity), el('td', {}, f.step || ''),
				fr, el('td', {}, f.text + (f.got ? ' — got ' +
				f.got : '')));
			ft.append(tr);
		}
		sec.append(el('h3', {}, 'Conformance findings'), ft);
	}
	sec._show = show;
	return sec;
}

const apply = summary();
const list = document.getElementById('scenarios');
data.scenarios.forEach((sc, k) => list.append(scenario(sc, k)));
apply();

/* ?click=SCENARIO:FRAME clicks that arrow once the page is drawn */
const q = new URLSearchParams(location.search).get('click');
if (q) {
	const i = q.lastIndexOf(':'), n = q.slice(0, i), f = q.slice(i + 1);
	const g = document.querySelector(`#${CSS.escape('scn-' + n)} ` +
		`g.row[data-frame="${f}"], #${CSS.escape('scn-' + n)} ` +
		`g.row[data-step="${f}"]`);
	if (g)
		g.dispatchEvent(new MouseEvent('click', {bubbles: true}));
}
document.body.dataset.drawn = 'yes';
