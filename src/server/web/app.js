// ecojuris intake page: a case form, a clickable region map and the routing result.
// Plain browser JavaScript, served from the binary; talks to /v1/route and /v1/locate only.
"use strict";

(function () {
  const I18N = {
    zh: {
      title: "长三角环境资源案件管辖指引",
      subtitle: "上海 · 江苏 · 浙江 · 安徽：列出每一个有管辖权的法院及其依据",
      case: "案件", kind: "案件类型", filed_on: "立案日期", places: "地点",
      places_hint: "每个地点可按地址、行政区划代码或坐标填写。点击地图，即在当前选中的地点放置坐标。",
      add_place: "＋ 添加地点", more: "更多案情（可选）", brought_by: "起诉主体", agency_level: "被告行政机关",
      admin_subject: "行政案件事项", max_penalty: "可能判处的最高刑罚", investigated_by: "侦查机关",
      claim: "诉讼标的额（元）", cross_province: "当事人跨省", case_id: "案件编号",
      ship_source: "船舶或海上作业造成的污染", submit: "查询管辖法院", reset: "重置", map: "地图",
      sh: "上海", js: "江苏", zj: "浙江", ah: "安徽", dz: "示范区", seat: "法院驻地",
      map_hint: "点击地图放置坐标（WGS-84）。", result: "结果", result_empty: "填写案件后点击“查询管辖法院”。",
      rules_v: "规则", geo_v: "地理数据",
      role: "角色", mode_address: "地址", mode_code: "代码", mode_at: "坐标",
      address_ph: "例：上海市青浦区朱家角镇", code_ph: "例：310118", lon: "经度", lat: "纬度",
      remove: "删除地点", place_n: "地点", unset: "（未填）", yes: "是", no: "否",
      routing: "查询中…", n_courts: (n) => `有管辖权的法院：${n} 个`, no_court: "没有有管辖权的法院",
      relation: "法院之间的关系", tribunal: "审判庭", appeal: "上诉法院", grounds: "管辖依据",
      level: "审级", place: "地点", unit: "区县", rule: "规则", sources: "依据来源", uncertain: "存疑",
      confirmed: "已确认", corroborated: "有案例佐证", subsidiary: "（补充连接点：更为适宜时）", warnings: "提示",
      filed_used: "适用日期", versions: "版本", raw: "原始 JSON", error: "无法查询",
      field: "字段", network: "无法连接服务器", placed: (n, lon, lat) => `已在地点 ${n} 放置坐标 ${lon}, ${lat}`,
      locating: "定位中…", ambiguous: "有歧义：", not_found: "未识别", outside: "超出覆盖范围",
      at_sea: "海域", feature: "水域", area: "地区", court_levels: { basic: "基层法院", intermediate: "中级法院", high: "高级法院", supreme: "最高法院" },
      route_levels: { basic: "基层", intermediate: "中级", maritime: "海事" },
      rel: { none: "无", exclusive: "专属（仅一个法院）", concurrent: "共同管辖（同省）", cross_province: "跨省共同管辖" },
    },
    en: {
      title: "YRD environmental case routing",
      subtitle: "Shanghai · Jiangsu · Zhejiang · Anhui: every competent court, with the grounds",
      case: "Case", kind: "Case kind", filed_on: "Filing date", places: "Places",
      places_hint: "Give each place by address, administrative code or coordinates. Clicking the map puts a point in the selected place.",
      add_place: "+ Add place", more: "More facts (optional)", brought_by: "Brought by", agency_level: "Defendant agency",
      admin_subject: "Administrative subject", max_penalty: "Maximum penalty", investigated_by: "Investigated by",
      claim: "Claim amount (CNY)", cross_province: "Parties in different provinces", case_id: "Case id",
      ship_source: "Pollution from ships or operations at sea", submit: "Find competent courts", reset: "Reset", map: "Map",
      sh: "Shanghai", js: "Jiangsu", zj: "Zhejiang", ah: "Anhui", dz: "Demo Zone", seat: "Court seat",
      map_hint: "Click the map to place a point (WGS-84).", result: "Result", result_empty: "Fill in the case and press “Find competent courts”.",
      rules_v: "rules", geo_v: "geodata",
      role: "Role", mode_address: "Address", mode_code: "Code", mode_at: "Coordinates",
      address_ph: "e.g. 上海市青浦区朱家角镇", code_ph: "e.g. 310118", lon: "Longitude", lat: "Latitude",
      remove: "Remove place", place_n: "Place", unset: "(not set)", yes: "yes", no: "no",
      routing: "Routing…", n_courts: (n) => `${n} competent court${n === 1 ? "" : "s"}`, no_court: "No competent court",
      relation: "Relation between the courts", tribunal: "Tribunal", appeal: "Appeal court", grounds: "Grounds",
      level: "Level", place: "Place", unit: "Unit", rule: "Rule", sources: "Sources", uncertain: "uncertain",
      confirmed: "confirmed", corroborated: "corroborated", subsidiary: "(subsidiary: if more suitable)", warnings: "Warnings",
      filed_used: "Rules as of", versions: "Versions", raw: "Raw JSON", error: "Could not route",
      field: "field", network: "Cannot reach the server", placed: (n, lon, lat) => `Put ${lon}, ${lat} in place ${n}`,
      locating: "Locating…", ambiguous: "Ambiguous: ", not_found: "Not recognised", outside: "Outside the covered area",
      at_sea: "at sea", feature: "water", area: "area", court_levels: { basic: "basic court", intermediate: "intermediate court", high: "high court", supreme: "supreme court" },
      route_levels: { basic: "basic", intermediate: "intermediate", maritime: "maritime" },
      rel: { none: "none", exclusive: "exclusive (one court)", concurrent: "concurrent (same province)", cross_province: "concurrent across provinces" },
    },
  };

  const ENUMS = {
    kind: [
      ["criminal", "刑事", "Criminal"],
      ["civil", "民事", "Civil"],
      ["administrative", "行政", "Administrative"],
      ["civil_public_interest", "环境民事公益诉讼", "Civil public-interest"],
      ["administrative_public_interest", "行政公益诉讼", "Administrative public-interest"],
      ["criminal_incidental_civil_public_interest", "刑事附带民事公益诉讼", "Criminal-incidental civil public-interest"],
      ["eco_damage_compensation", "生态环境损害赔偿诉讼", "Eco-damage compensation"],
    ],
    role: [
      ["conduct", "行为地", "Place of the act"],
      ["result", "结果地", "Place of the result"],
      ["defendant_domicile", "被告住所地", "Defendant's domicile"],
      ["agency", "行政机关所在地", "Seat of the agency"],
      ["reconsideration_agency", "复议机关所在地", "Seat of the reconsideration agency"],
      ["landing", "登陆地", "Landing place"],
      ["preventive_measures", "采取预防措施地", "Place of preventive measures"],
    ],
    plaintiff: [
      ["", "—", "—"],
      ["party", "当事人", "A party"],
      ["procuratorate", "检察机关", "Procuratorate"],
      ["government", "政府", "Government"],
      ["organization", "社会组织", "Social organization"],
    ],
    agency_level: [
      ["", "—", "—"],
      ["department", "政府部门", "Government department"],
      ["county_government", "县级政府", "County government"],
      ["prefecture_government", "地市级政府", "Prefecture government"],
      ["provincial_government", "省级政府", "Provincial government"],
      ["maritime_agency", "海事行政机关", "Maritime agency"],
    ],
    admin_subject: [
      ["", "—", "—"],
      ["information_disclosure", "政府信息公开", "Information disclosure"],
      ["failure_to_perform", "不履行法定职责", "Failure to perform"],
      ["reconsideration_refused", "复议不予受理/驳回", "Reconsideration refused"],
      ["natural_resource_ownership", "自然资源确权", "Natural-resource ownership"],
      ["other", "其他", "Other"],
    ],
    max_penalty: [
      ["", "—", "—"],
      ["ordinary", "一般刑罚", "Ordinary"],
      ["life_or_death", "无期徒刑或死刑", "Life imprisonment or death"],
    ],
    investigator: [
      ["", "—", "—"],
      ["police", "公安机关", "Police"],
      ["coast_guard", "海警", "Coast guard"],
      ["other", "其他", "Other"],
    ],
    tristate: [
      ["", "—", "—"],
      ["true", "是", "Yes"],
      ["false", "否", "No"],
    ],
    crs: [
      ["wgs84", "WGS-84", "WGS-84"],
      ["gcj02", "GCJ-02 高德", "GCJ-02 Amap"],
      ["bd09", "BD-09 百度", "BD-09 Baidu"],
    ],
  };

  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  let lang = "zh";
  try { lang = localStorage.getItem("ecojuris.lang") === "en" ? "en" : "zh"; } catch (_) { /* private mode */ }
  const t = (k) => I18N[lang][k] !== undefined ? I18N[lang][k] : k;
  let lastDecision = null;
  let lastError = null;
  let activePlace = null;
  let lastPlaced = null;
  let placeSeq = 0;

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids.flat()) {
      if (kid === null || kid === undefined || kid === false) continue;
      e.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    }
    return e;
  }

  function fillSelect(select, list) {
    const cur = select.value;
    select.textContent = "";
    for (const [v, zh, en] of list) select.append(el("option", { value: v }, lang === "zh" ? zh : en));
    if (cur !== "" || list.some(([v]) => v === "")) select.value = cur;
  }

  function enumName(list, v) {
    const hit = ENUMS[list].find(([k]) => k === v);
    return hit ? (lang === "zh" ? hit[1] : hit[2]) : v;
  }

  // ---------------------------------------------------------------------------------------
  // Places
  // ---------------------------------------------------------------------------------------
  function placeRow(init) {
    const id = ++placeSeq;
    const li = el("li", { class: "place", "data-place": String(id) });
    const role = el("select", { class: "role", "aria-label": t("role") });
    fillSelect(role, ENUMS.role);
    role.value = init.role || "conduct";
    const modes = el("div", { class: "modes", role: "radiogroup" });
    for (const m of ["address", "code", "at"]) {
      const input = el("input", { type: "radio", name: `mode-${id}`, value: m });
      if ((init.mode || "address") === m) input.checked = true;
      modes.append(el("label", {}, input, el("span", { "data-i18n": `mode_${m}` }, t(`mode_${m}`))));
    }
    const address = el("input", { type: "text", class: "address", placeholder: t("address_ph"), "data-i18n-ph": "address_ph", autocomplete: "off", value: init.address || "" });
    const code = el("input", { type: "text", class: "code", placeholder: t("code_ph"), "data-i18n-ph": "code_ph", inputmode: "numeric", autocomplete: "off", value: init.code || "" });
    const lon = el("input", { type: "number", class: "lon", step: "any", placeholder: t("lon"), "data-i18n-ph": "lon", "aria-label": t("lon"), value: init.lon === undefined ? "" : String(init.lon) });
    const lat = el("input", { type: "number", class: "lat", step: "any", placeholder: t("lat"), "data-i18n-ph": "lat", "aria-label": t("lat"), value: init.lat === undefined ? "" : String(init.lat) });
    const crs = el("select", { class: "crs", "aria-label": "CRS" });
    fillSelect(crs, ENUMS.crs);
    crs.value = init.crs || "wgs84";
    const coords = el("div", { class: "coords" }, lon, lat, crs);
    const resolved = el("p", { class: "resolved", "aria-live": "polite" });
    const remove = el("button", { type: "button", class: "remove", title: t("remove"), "aria-label": t("remove") }, "×");
    li.append(
      el("div", { class: "place-head" }, el("span", { class: "place-no" }), role, remove),
      modes, address, code, coords, resolved,
    );
    const sync = () => {
      const m = mode(li);
      address.hidden = m !== "address";
      code.hidden = m !== "code";
      coords.hidden = m !== "at";
      resolved.textContent = "";
      resolved.className = "resolved";
      drawMarkers();
      scheduleLocate(li);
    };
    modes.addEventListener("change", sync);
    for (const inp of [address, code, lon, lat, crs]) {
      inp.addEventListener("input", () => { inp.classList.remove("invalid"); scheduleLocate(li); if (inp === lon || inp === lat) drawMarkers(); });
      inp.addEventListener("change", () => scheduleLocate(li));
    }
    li.addEventListener("focusin", () => setActive(li));
    li.addEventListener("click", () => setActive(li));
    remove.addEventListener("click", (ev) => {
      ev.stopPropagation();
      if ($$(".place").length <= 1) return;
      li.remove();
      if (activePlace === li) setActive($(".place"));
      renumber();
    });
    $("#places").append(li);
    sync();
    renumber();
    return li;
  }

  function mode(li) {
    const r = $("input[type=radio]:checked", li);
    return r ? r.value : "address";
  }

  function setMode(li, m) {
    const r = $(`input[type=radio][value="${m}"]`, li);
    if (r && !r.checked) { r.checked = true; r.dispatchEvent(new Event("change", { bubbles: true })); }
  }

  function setActive(li) {
    activePlace = li || null;
    for (const p of $$(".place")) p.classList.toggle("active", p === activePlace);
    drawMarkers();
  }

  function renumber() {
    $$(".place").forEach((li, i) => { $(".place-no", li).textContent = String(i + 1); });
    const only = $$(".place").length <= 1;
    for (const b of $$(".place .remove")) b.disabled = only;
    drawMarkers();
  }

  function placeJson(li) {
    const role = $(".role", li).value;
    const m = mode(li);
    if (m === "address") return { role, address: $(".address", li).value.trim() };
    if (m === "code") return { role, code: $(".code", li).value.trim() };
    const lon = parseFloat($(".lon", li).value);
    const lat = parseFloat($(".lat", li).value);
    return { role, at: [Number.isFinite(lon) ? lon : null, Number.isFinite(lat) ? lat : null], crs: $(".crs", li).value };
  }

  // Live feedback: what each place resolves to (POST /v1/locate), debounced.
  const timers = new WeakMap();
  function scheduleLocate(li) {
    clearTimeout(timers.get(li));
    timers.set(li, setTimeout(() => locatePlace(li), 350));
  }

  async function locatePlace(li) {
    const p = placeJson(li);
    const out = $(".resolved", li);
    let body = null;
    if (p.address !== undefined) { if (!p.address) { out.textContent = ""; return; } body = { address: p.address }; }
    else if (p.code !== undefined) { if (!/^\d{6}(\d{3})?$/.test(p.code)) { out.textContent = ""; return; } body = { code: p.code }; }
    else { if (p.at[0] === null || p.at[1] === null) { out.textContent = ""; return; } body = { at: p.at, crs: p.crs }; }
    const key = JSON.stringify(body);
    li.dataset.locating = key;
    out.className = "resolved";
    out.textContent = t("locating");
    try {
      const r = await fetch("/v1/locate", { method: "POST", headers: { "Content-Type": "application/json" }, body: key });
      const j = await r.json();
      if (li.dataset.locating !== key) return;
      const [cls, text] = describeLocation(j);
      out.className = "resolved " + cls;
      out.textContent = text;
    } catch (_) {
      if (li.dataset.locating === key) { out.className = "resolved bad"; out.textContent = t("network"); }
    }
  }

  function describeLocation(j) {
    if (j.error) return ["bad", j.error.message];
    const unitName = (u) => `${u.province_name && u.province_name !== u.name ? u.province_name + " " : ""}${u.city_name && u.city_name !== u.province_name ? u.city_name + " " : ""}${u.name}${lang === "en" && u.name_en ? " (" + u.name_en + ")" : ""} · ${u.adcode}`;
    if (j.status !== undefined && j.matched !== undefined) { // an address
      if (j.unit) return ["ok", "→ " + unitName(j.unit) + (j.town ? ` · ${j.town}` : "")];
      if (j.candidates && j.candidates.length) return ["bad", t("ambiguous") + j.candidates.map((c) => `${c.name} ${c.adcode}`).join("、")];
      if (j.area) return ["bad", `${t("area")} ${j.area}`];
      return ["bad", t("not_found")];
    }
    if (j.input !== undefined) { // a point
      if (j.outside) return ["bad", t("outside")];
      if (j.unit) return ["ok", "→ " + unitName(j.unit)];
      const f = (j.features || []).map((x) => x.name.split(" (")[0]).join("、");
      return ["ok", `→ ${t("at_sea")}${f ? " · " + f : ""}`];
    }
    if (j.code !== undefined) { // a code
      if (j.unit) return ["ok", "→ " + unitName(j.unit) + (j.town ? ` · ${j.town.name}` : "")];
      return ["ok", `→ ${j.name} (${t("area")})`];
    }
    return ["", ""];
  }

  // ---------------------------------------------------------------------------------------
  // Map
  // ---------------------------------------------------------------------------------------
  const svg = document.getElementById("map");
  const proj = svg ? {
    lon0: parseFloat(svg.dataset.lon0), lat1: parseFloat(svg.dataset.lat1),
    kx: parseFloat(svg.dataset.kx), ky: parseFloat(svg.dataset.ky), m: parseFloat(svg.dataset.margin),
  } : null;
  const units = new Map();
  if (svg) for (const p of $$(".units path", svg)) units.set(p.dataset.code, { zh: p.dataset.zh, en: p.dataset.en, path: p });

  function toLonLat(x, y) { return [proj.lon0 + (x - proj.m) / proj.kx, proj.lat1 - (y - proj.m) / proj.ky]; }
  function toXY(lon, lat) { return [(lon - proj.lon0) * proj.kx + proj.m, (proj.lat1 - lat) * proj.ky + proj.m]; }

  function drawMarkers() {
    if (!svg) return;
    const g = $("#markers", svg);
    g.textContent = "";
    $$(".place").forEach((li, i) => {
      if (mode(li) !== "at" || $(".crs", li).value !== "wgs84") return;
      const lon = parseFloat($(".lon", li).value), lat = parseFloat($(".lat", li).value);
      if (!Number.isFinite(lon) || !Number.isFinite(lat)) return;
      const [x, y] = toXY(lon, lat);
      const ns = "http://www.w3.org/2000/svg";
      const m = document.createElementNS(ns, "g");
      m.setAttribute("class", "marker" + (li === activePlace ? " active" : ""));
      const c = document.createElementNS(ns, "circle");
      c.setAttribute("cx", x.toFixed(1)); c.setAttribute("cy", y.toFixed(1)); c.setAttribute("r", "8");
      const tx = document.createElementNS(ns, "text");
      tx.setAttribute("x", x.toFixed(1)); tx.setAttribute("y", y.toFixed(1));
      tx.textContent = String(i + 1);
      m.append(c, tx);
      g.append(m);
    });
  }

  if (svg) {
    svg.addEventListener("click", (ev) => {
      const ctm = svg.getScreenCTM();
      if (!ctm) return;
      const pt = svg.createSVGPoint();
      pt.x = ev.clientX; pt.y = ev.clientY;
      const p = pt.matrixTransform(ctm.inverse());
      const [lon, lat] = toLonLat(p.x, p.y);
      const li = activePlace && document.body.contains(activePlace) ? activePlace : ($(".place") || placeRow({}));
      setActive(li);
      setMode(li, "at");
      $(".lon", li).value = lon.toFixed(5);
      $(".lat", li).value = lat.toFixed(5);
      $(".crs", li).value = "wgs84";
      $(".lon", li).classList.remove("invalid");
      $(".lat", li).classList.remove("invalid");
      lastPlaced = [$$(".place").indexOf(li) + 1, lon.toFixed(5), lat.toFixed(5)];
      showPlaced();
      drawMarkers();
      scheduleLocate(li);
    });
  }

  function showPlaced() {
    const s = $("#map-status");
    s.textContent = lastPlaced ? I18N[lang].placed(...lastPlaced) : t("map_hint");
  }

  function highlight(decision) {
    for (const u of units.values()) u.path.classList.remove("hit", "court");
    const seats = svg ? $("#seats", svg) : null;
    if (seats) seats.textContent = "";
    if (!decision) return;
    // Court seats (approximate: a point in the seat unit), as squares.
    const ns = "http://www.w3.org/2000/svg";
    for (const c of decision.competent || []) {
      if (!seats || !Array.isArray(c.seat_at)) continue;
      const [x, y] = toXY(c.seat_at[0], c.seat_at[1]);
      const r = document.createElementNS(ns, "rect");
      r.setAttribute("x", (x - 6).toFixed(1)); r.setAttribute("y", (y - 6).toFixed(1));
      r.setAttribute("width", "12"); r.setAttribute("height", "12"); r.setAttribute("rx", "2");
      r.setAttribute("data-court-id", c.court.id);
      const title = document.createElementNS(ns, "title");
      title.textContent = courtName(c.court);
      r.append(title);
      seats.append(r);
    }
    for (const c of decision.competent || []) {
      for (const g of c.grounds || []) {
        const u = g.unit && units.get(g.unit.adcode);
        if (u) u.path.classList.add("hit");
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // Submit and render
  // ---------------------------------------------------------------------------------------
  function caseJson() {
    const c = { kind: $("#kind").value, places: $$(".place").map(placeJson) };
    const d = $("#filed-on").value;
    if (d) c.filed_on = d;
    const opt = [["brought-by", "brought_by"], ["agency-level", "defendant_agency_level"], ["admin-subject", "admin_subject"], ["max-penalty", "max_penalty"], ["investigated-by", "investigated_by"]];
    for (const [id, key] of opt) { const v = $("#" + id).value; if (v) c[key] = v; }
    const claim = $("#claim").value;
    if (claim !== "") c.claim_amount_cny = Number(claim);
    const cp = $("#cross-province").value;
    if (cp) c.parties_cross_province = cp === "true";
    if ($("#ship-source").checked) c.ship_source = true;
    const id = $("#case-id").value.trim();
    if (id) c.id = id;
    return c;
  }

  function markField(field) {
    for (const e of $$(".invalid")) e.classList.remove("invalid");
    if (!field) return;
    const m = /^places\[(\d+)\](?:\.(\w+))?/.exec(field);
    if (m) {
      const li = $$(".place")[Number(m[1])];
      if (!li) return;
      const sub = m[2];
      const target = sub === "at" ? [$(".lon", li), $(".lat", li)] : sub === "role" ? [$(".role", li)] : sub === "crs" ? [$(".crs", li)]
        : sub === "code" ? [$(".code", li)] : sub === "address" ? [$(".address", li)] : [$("." + (mode(li) === "at" ? "lon" : mode(li)), li)];
      for (const e of target) if (e) e.classList.add("invalid");
      setActive(li);
      return;
    }
    const ids = { kind: "kind", filed_on: "filed-on", claim_amount_cny: "claim", brought_by: "brought-by", defendant_agency_level: "agency-level", admin_subject: "admin-subject", max_penalty: "max-penalty", investigated_by: "investigated-by", parties_cross_province: "cross-province", id: "case-id" };
    const id = ids[field.split(".")[0]];
    if (id) { $("#" + id).classList.add("invalid"); if ($("#more").contains($("#" + id))) $("#more").open = true; }
  }

  // A case in the address (`#case=<JSON>`) fills the form and is routed: links can be shared.
  function fillFromCase(c) {
    $("#places").textContent = "";
    placeSeq = 0;
    if (c.kind) $("#kind").value = c.kind;
    $("#filed-on").value = c.filed_on || "";
    const opt = { brought_by: "brought-by", defendant_agency_level: "agency-level", admin_subject: "admin-subject", max_penalty: "max-penalty", investigated_by: "investigated-by" };
    for (const [key, id] of Object.entries(opt)) $("#" + id).value = c[key] || "";
    $("#claim").value = c.claim_amount_cny === undefined ? "" : String(c.claim_amount_cny);
    $("#cross-province").value = c.parties_cross_province === undefined ? "" : String(c.parties_cross_province);
    $("#ship-source").checked = !!c.ship_source;
    $("#case-id").value = c.id === undefined ? "" : String(c.id);
    if (Object.keys(opt).some((k) => c[k]) || c.claim_amount_cny !== undefined || c.parties_cross_province !== undefined || c.ship_source) $("#more").open = true;
    for (const p of Array.isArray(c.places) ? c.places : []) {
      if (Array.isArray(p.at)) placeRow({ role: p.role, mode: "at", lon: p.at[0], lat: p.at[1], crs: p.crs });
      else if (p.code !== undefined) placeRow({ role: p.role, mode: "code", code: String(p.code) });
      else placeRow({ role: p.role, mode: "address", address: p.address || "" });
    }
    if (!$(".place")) placeRow({ role: "conduct", mode: "address" });
    setActive($(".place"));
  }

  function caseFromHash() {
    const h = location.hash;
    if (!h.startsWith("#case=")) return null;
    try { return JSON.parse(decodeURIComponent(h.slice(6))); } catch (_) { return null; }
  }

  async function submit(ev) {
    if (ev) ev.preventDefault();
    const btn = $("#submit");
    btn.disabled = true;
    const body = $("#result-body");
    body.textContent = "";
    body.append(el("p", { class: "hint" }, t("routing")));
    try {
      const c = caseJson();
      try { history.replaceState(null, "", "#case=" + encodeURIComponent(JSON.stringify(c))); } catch (_) { /* file: URLs */ }
      const r = await fetch("/v1/route", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(c) });
      const j = await r.json();
      if (j.error) { lastDecision = null; lastError = j.error; markField(j.error.field); }
      else { lastDecision = j; lastError = null; markField(null); }
    } catch (e) {
      lastDecision = null;
      lastError = { code: "network", message: t("network") + ": " + e, field: null };
    } finally {
      btn.disabled = false;
    }
    render();
    highlight(lastDecision);
    if (window.matchMedia("(max-width: 1179px)").matches) $("#result").scrollIntoView({ behavior: ev ? "smooth" : "auto", block: "start" });
  }

  const pick = (text) => (text ? (lang === "zh" ? text.zh : text.en) : "");
  const courtName = (c) => (lang === "zh" ? c.name_zh : c.name_en);
  const courtAlt = (c) => (lang === "zh" ? c.name_en : c.name_zh);

  function sourceItem(s) {
    const label = s.title || s.key;
    const url = s.url && /^https?:\/\//.test(s.url) ? s.url : null;
    return el("li", {}, url ? el("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, label) : label,
      " ", el("span", { class: "rule-id" }, s.key), s.url && !url ? el("div", {}, s.url) : null);
  }

  function renderGround(g) {
    const unit = g.unit ? `${g.unit.name} ${g.unit.adcode}` : (g.feature ? `${t("feature")} ${g.feature}` : "");
    return el("li", { class: "ground", "data-rule": g.rule },
      el("div", { class: "ground-head" },
        el("b", {}, enumName("role", g.factor)),
        g.subsidiary ? el("span", { class: "court-alt" }, t("subsidiary")) : null,
        el("span", {}, `${t("place")} ${g.place}: ${g.place_text}`),
        unit && !(g.unit && g.place_text.includes(g.unit.name)) ? el("span", { class: "court-alt" }, unit) : null,
        el("span", { class: "badge" }, (I18N[lang].route_levels[g.level] || g.level)),
        el("span", { class: "badge" + (g.confidence === "uncertain" ? " uncertain" : "") }, t(g.confidence)),
      ),
      el("p", { class: "summary" }, pick(g.summary)),
      el("div", {}, `${t("rule")}: `, ...g.rules.map((r, i) => [i ? " → " : "", el("span", { class: "rule-id" + (r === g.rule ? " main" : "") }, r)])),
      g.sources && g.sources.length ? el("ul", { class: "sources", "aria-label": t("sources") }, g.sources.map(sourceItem)) : null,
    );
  }

  function renderCourt(c) {
    const lvl = I18N[lang].court_levels[c.court.level] || c.court.level;
    return el("article", { class: "court", "data-court-id": c.court.id },
      el("div", { class: "court-head" },
        el("h3", { class: "court-name" }, courtName(c.court)),
        el("span", { class: "badge" }, lvl)),
      el("div", { class: "court-alt" }, courtAlt(c.court), " · ", el("span", { class: "rule-id" }, c.court.id)),
      el("dl", { class: "facts" },
        el("dt", {}, t("tribunal")), el("dd", { class: "tribunal" }, c.tribunal ? `${lang === "zh" ? c.tribunal.name_zh : c.tribunal.name_en}` : "—"),
        el("dt", {}, t("appeal")), el("dd", { class: "appeal", "data-court-id": c.appeal_court ? c.appeal_court.id : null }, c.appeal_court ? courtName(c.appeal_court) : "—"),
      ),
      el("div", { class: "court-alt" }, t("grounds")),
      el("ol", { class: "grounds" }, c.grounds.map(renderGround)),
    );
  }

  function render() {
    const body = $("#result-body");
    body.textContent = "";
    if (lastError) {
      body.append(el("div", { class: "error-box", role: "alert", "data-error-code": lastError.code },
        el("b", {}, t("error")), el("div", {}, lastError.message),
        lastError.field ? el("div", {}, `${t("field")}: `, el("span", { class: "field-name" }, lastError.field)) : null));
      return;
    }
    const d = lastDecision;
    if (!d) { body.append(el("p", { class: "hint" }, t("result_empty"))); return; }
    const routed = d.status === "routed";
    body.append(el("p", { class: "status" + (routed ? "" : " none"), "data-status": d.status }, routed ? I18N[lang].n_courts(d.competent.length) : t("no_court")));
    if (!routed && d.no_court_reason) body.append(el("p", {}, pick(d.no_court_reason)));
    if (routed) {
      body.append(el("div", { class: "relation", "data-relation": d.relation.kind },
        el("b", {}, `${t("relation")}: ${I18N[lang].rel[d.relation.kind] || d.relation.kind}`),
        el("div", {}, pick(d.relation.text)),
        d.relation.rules.length ? el("div", {}, `${t("rule")}: `, ...d.relation.rules.map((r, i) => [i ? ", " : "", el("span", { class: "rule-id" }, r)])) : null));
    }
    for (const c of d.competent) body.append(renderCourt(c));
    if (d.warnings.length) {
      body.append(el("h3", {}, t("warnings")));
      body.append(el("ul", { class: "warnings" }, d.warnings.map((w) => el("li", { "data-warning": w.code },
        el("span", { class: "code" }, w.code), pick(w.message),
        w.rule ? [" ", el("span", { class: "rule-id" }, w.rule)] : null,
        w.place ? ` (${t("place")} ${w.place})` : null))));
    }
    body.append(el("p", { class: "meta" }, `${t("filed_used")}: ${d.filed_on} · ${t("versions")}: ${d.rules_version} / ${d.geodata_version}`));
    body.append(el("details", { class: "raw" }, el("summary", {}, t("raw")), el("pre", {}, JSON.stringify(d, null, 2))));
  }

  // ---------------------------------------------------------------------------------------
  // Language
  // ---------------------------------------------------------------------------------------
  function applyLang(l) {
    lang = l;
    try { localStorage.setItem("ecojuris.lang", l); } catch (_) { /* private mode */ }
    document.documentElement.lang = l === "zh" ? "zh-CN" : "en";
    document.title = t("title");
    for (const b of $$(".lang button")) b.setAttribute("aria-pressed", String(b.dataset.lang === l));
    for (const e of $$("[data-i18n]")) { const v = t(e.dataset.i18n); if (typeof v === "string") e.textContent = v; }
    for (const e of $$("[data-i18n-ph]")) { e.placeholder = t(e.dataset.i18nPh); if (e.hasAttribute("aria-label")) e.setAttribute("aria-label", t(e.dataset.i18nPh)); }
    for (const b of $$(".place .remove")) { b.title = t("remove"); b.setAttribute("aria-label", t("remove")); }
    fillSelect($("#kind"), ENUMS.kind);
    for (const s of $$("select[data-enum]")) fillSelect(s, ENUMS[s.dataset.enum]);
    for (const s of $$(".place .role")) fillSelect(s, ENUMS.role);
    for (const s of $$(".place .crs")) fillSelect(s, ENUMS.crs);
    if (svg) for (const tx of $$(".labels text", svg)) tx.textContent = l === "zh" ? tx.dataset.zh : (tx.dataset.en || tx.dataset.zh);
    showPlaced();
    for (const li of $$(".place")) scheduleLocate(li);
    render();
  }

  function todayIso() {
    const d = new Date();
    const p = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  }

  function reset() {
    $("#case-form").reset();
    $("#places").textContent = "";
    placeSeq = 0;
    setActive(placeRow({ role: "conduct", mode: "address" }));
    $("#filed-on").value = todayIso();
    $("#kind").value = "civil";
    try { history.replaceState(null, "", location.pathname); } catch (_) { /* file: URLs */ }
    lastDecision = null; lastError = null; lastPlaced = null;
    showPlaced();
    markField(null);
    highlight(null);
    render();
  }

  function init() {
    fillSelect($("#kind"), ENUMS.kind);
    for (const s of $$("select[data-enum]")) fillSelect(s, ENUMS[s.dataset.enum]);
    $("#kind").value = "civil";
    $("#filed-on").value = todayIso();
    $("#filed-on").max = "2100-12-31";
    setActive(placeRow({ role: "conduct", mode: "address" }));
    $("#add-place").addEventListener("click", () => setActive(placeRow({ role: "result", mode: "at" })));
    $("#case-form").addEventListener("submit", submit);
    $("#reset").addEventListener("click", reset);
    for (const b of $$(".lang button")) b.addEventListener("click", () => applyLang(b.dataset.lang));
    applyLang(lang);
    const shared = caseFromHash();
    if (shared) { fillFromCase(shared); submit(null); }
    document.body.dataset.ready = "1";
  }

  init();
})();
