import { hasOwn, isRecord, roundTo, hourOf, minuteOf, weekdayOf, listOf, listMask, listHas, REQUEST_NOT_OBJECT, invalidRequest, unreadableRequest, defaultDeny, requestErrors, createQuoter } from "monetize:runtime";
const policyInfo = Object.freeze({ version: "1.0", currency: "EUR", ruleIds: Object.freeze(["enterprise_unlimited","derive_needs_licence","beta_free","student_compute","model_inference","token_access","paywall"]), hash: "00e344c1bc6623ffa07935ebdee93710670b8f7ef4db53139325f676be319e53", generator: "monetize 0.1.0" });
const quoter = createQuoter(JSON.parse("{\"currency\":\"EUR\",\"exponent\":2,\"registry\":true,\"assets\":[{\"id\":\"model:llm-base\",\"minor\":4900,\"taxCode\":null},{\"id\":\"model:llm-large\",\"minor\":19900,\"taxCode\":null},{\"id\":\"dataset:training-corpus\",\"minor\":12000,\"taxCode\":\"digital_data\"},{\"id\":\"code:sdk\",\"minor\":0,\"taxCode\":null}],\"defaultMinor\":null,\"bundles\":[{\"id\":\"ai_starter_kit\",\"assets\":[\"model:llm-base\",\"dataset:training-corpus\"],\"minor\":13520,\"saving\":3380,\"parts\":[[null,3920],[\"digital_data\",9600]]},{\"id\":\"ai_pro_kit\",\"assets\":[\"model:llm-large\",\"dataset:training-corpus\",\"code:sdk\"],\"minor\":22330,\"saving\":9570,\"parts\":[[null,13930],[\"digital_data\",8400]]}],\"tax\":{\"inclusive\":false,\"defaultCode\":\"digital_goods\",\"rules\":[{\"countries\":[\"AT\",\"BE\",\"BG\",\"CY\",\"CZ\",\"DE\",\"DK\",\"EE\",\"ES\",\"FI\",\"FR\",\"GR\",\"HR\",\"HU\",\"IE\",\"IT\",\"LT\",\"LU\",\"LV\",\"MT\",\"NL\",\"PL\",\"PT\",\"RO\",\"SE\",\"SI\",\"SK\"],\"code\":\"digital_services_eu\",\"rate\":null,\"reverseCharge\":true},{\"countries\":[\"NO\"],\"code\":\"digital_services_no\",\"rate\":[1,4],\"reverseCharge\":false},{\"countries\":[\"GB\"],\"code\":\"digital_services_gb\",\"rate\":[1,5],\"reverseCharge\":false}]},\"vat\":{\"AT\":[1,5],\"BE\":[21,100],\"BG\":[1,5],\"CY\":[19,100],\"CZ\":[21,100],\"DE\":[19,100],\"DK\":[1,4],\"EE\":[6,25],\"ES\":[21,100],\"FI\":[51,200],\"FR\":[1,5],\"GR\":[6,25],\"HR\":[1,4],\"HU\":[27,100],\"IE\":[23,100],\"IT\":[11,50],\"LT\":[21,100],\"LU\":[17,100],\"LV\":[21,100],\"MT\":[9,50],\"NL\":[21,100],\"PL\":[23,100],\"PT\":[23,100],\"RO\":[21,100],\"SE\":[1,4],\"SI\":[11,50],\"SK\":[23,100]},\"vatRatesAsOf\":\"2025-08-01\",\"countries\":\"ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW\"}"));
const ASSETS = new Map(JSON.parse("[[\"model:llm-base\",{\"f\":{\"type\":\"model\",\"tags\":[\"inference\"],\"matrix_id\":\"ai-starter\"},\"m\":{\"compute_cost\":0.02}}],[\"model:llm-large\",{\"f\":{\"type\":\"model\",\"tags\":[\"inference\",\"premium\"],\"matrix_id\":\"ai-pro\"},\"m\":{\"compute_cost\":0.09}}],[\"dataset:training-corpus\",{\"f\":{\"type\":\"data\",\"tags\":[\"premium\"],\"matrix_id\":\"ai-starter\"},\"m\":{}}],[\"code:sdk\",{\"f\":{\"type\":\"code\",\"tags\":[]},\"m\":{}}]]"));
const ACTIONS = new Set(["read","download","execute","derive"]);
const set0 = new Set(["mon","tue","wed","thu","fri","sat","sun"]);
const list0 = Object.freeze(["all_access","derive_licence"]);
const list1 = Object.freeze([]);
/** Decide one access request. Never throws, never mutates the request. */
function decide(request, options) {
  try {
    return decideRequest(request, options);
  } catch (e) {
    return unreadableRequest(e);
  }
}
function decideRequest(request, options) {
  if (!isRecord(request)) return invalidRequest([REQUEST_NOT_OBJECT]);
  const assetId = hasOwn(request, "assetId") ? request.assetId : undefined;
  const action = hasOwn(request, "action") ? request.action : undefined;
  const ctx = hasOwn(request, "context") ? request.context : undefined;
  const timestamp = hasOwn(request, "timestamp") ? request.timestamp : undefined;
  if (typeof assetId !== "string" || assetId === "" || !(action === "read" || action === "download" || action === "execute" || action === "derive") || !isRecord(ctx) || (timestamp !== undefined && (typeof timestamp !== "number" || timestamp - timestamp !== 0))) return invalidRequest(requestErrors(assetId, action, ctx, timestamp, ACTIONS));
  const reg = ASSETS.get(assetId);
  const inlineRaw = hasOwn(request, "asset") ? request.asset : undefined;
  const inline = isRecord(inlineRaw) ? inlineRaw : undefined;
  const metaRaw = inline !== undefined && hasOwn(inline, "metadata") ? inline.metadata : undefined;
  const meta = isRecord(metaRaw) ? metaRaw : undefined;
  const optParams = isRecord(options) && hasOwn(options, "params") ? options.params : undefined;
  const params0 = isRecord(optParams) ? optParams : undefined;
  const reqParams = hasOwn(request, "params") ? request.params : undefined;
  const params1 = isRecord(reqParams) ? reqParams : undefined;
  const field0 = hasOwn(ctx, "tier") ? ctx["tier"] : undefined;
  const field1 = listMask(hasOwn(ctx, "entitlements") ? ctx["entitlements"] : undefined, "string", undefined, list0);
  const field2 = action;
  const field3 = listOf(inline !== undefined && hasOwn(inline, "tags") ? inline["tags"] : reg !== undefined && hasOwn(reg.f, "tags") ? reg.f["tags"] : list1, "string");
  const field4 = assetId;
  const field5 = params0 !== undefined && hasOwn(params0, "beta_prefix") ? params0["beta_prefix"] : params1 !== undefined && hasOwn(params1, "beta_prefix") ? params1["beta_prefix"] : "beta:";
  const field6 = hasOwn(ctx, "segment") ? ctx["segment"] : undefined;
  const field7 = inline !== undefined && hasOwn(inline, "type") ? inline["type"] : reg !== undefined && hasOwn(reg.f, "type") ? reg.f["type"] : undefined;
  const field8 = timestamp === undefined ? undefined : weekdayOf(timestamp);
  const field9 = timestamp === undefined ? undefined : hourOf(timestamp);
  const field10 = meta !== undefined && hasOwn(meta, "compute_cost") ? meta["compute_cost"] : reg !== undefined && hasOwn(reg.m, "compute_cost") ? reg.m["compute_cost"] : undefined;
  const field11 = params0 !== undefined && hasOwn(params0, "student_discount") ? params0["student_discount"] : params1 !== undefined && hasOwn(params1, "student_discount") ? params1["student_discount"] : 0.5;
  const field12 = hasOwn(ctx, "tokenBalance") ? ctx["tokenBalance"] : undefined;
  const field13 = params0 !== undefined && hasOwn(params0, "min_balance") ? params0["min_balance"] : params1 !== undefined && hasOwn(params1, "min_balance") ? params1["min_balance"] : 5;
  const field14 = params0 !== undefined && hasOwn(params0, "surge") ? params0["surge"] : params1 !== undefined && hasOwn(params1, "surge") ? params1["surge"] : 1.5;
  const field15 = hasOwn(ctx, "country") ? ctx["country"] : undefined;
  const field16 = hasOwn(ctx, "vatId") ? ctx["vatId"] : undefined;
  rule0: {
    or0: {
      orElse0: {
        if (!(field0 === "free" || field0 === "pro" || field0 === "enterprise")) break rule0;
        if (field0 !== "enterprise") break orElse0;
        break or0;
      }
      if (field1 < 0 || (field1 & 1) === 0) break rule0;
    }
    return { allowed: true, policyId: "enterprise_unlimited", cost: 0 };
  }
  rule1: {
    if (field2 !== "derive" || field3 === undefined || !listHas(field3, "premium")) break rule1;
    not0: {
      if (field1 < 0) break rule1;
      if ((field1 & 2) === 0) break not0;
      break rule1;
    }
    return { allowed: false, policyId: "derive_needs_licence", reason: "licence_required", redirect: "/licensing" };
  }
  rule2: {
    if (typeof field4 !== "string" || typeof field5 !== "string" || !field4.startsWith(field5) || !(field2 === "read" || field2 === "execute")) break rule2;
    return { allowed: true, policyId: "beta_free", cost: 0 };
  }
  rule3: {
    if (!(field6 === "student" || field6 === "startup" || field6 === "nonprofit") || field6 !== "student" || field7 !== "model" || !set0.has(field8) || (field8 === "sat" || field8 === "sun")) break rule3;
    or1: {
      orElse1: {
        if ((typeof field9 !== "number" || field9 - field9 !== 0)) break rule3;
        if (!(field9 < 9)) break orElse1;
        break or1;
      }
      if ((typeof field9 !== "number" || field9 - field9 !== 0) || !(field9 >= 18)) break rule3;
    }
    if ((typeof field10 !== "number" || field10 - field10 !== 0)) break rule3;
    const num0 = field10 * 100;
    if (num0 - num0 !== 0 || (typeof field11 !== "number" || field11 - field11 !== 0)) break rule3;
    const num1 = num0 * field11;
    if (num1 - num1 !== 0) break rule3;
    let cost0 = num1;
    if (cost0 - cost0 !== 0 || cost0 < 0) break rule3;
    return { allowed: true, policyId: "student_compute", cost: roundTo(cost0, 2, "ceil") };
  }
  rule4: {
    if (field7 !== "model" || field2 !== "execute" || !(field0 === "pro" || field0 === "enterprise") || (typeof field12 !== "number" || field12 - field12 !== 0) || (typeof field13 !== "number" || field13 - field13 !== 0) || !(field12 >= field13) || (typeof field10 !== "number" || field10 - field10 !== 0)) break rule4;
    const num2 = field10 * 100;
    if (num2 - num2 !== 0) break rule4;
    let cost1 = num2;
    mul0: {
      if ((typeof field9 !== "number" || field9 - field9 !== 0)) break rule4;
      if (!(field9 >= 9) || !(field9 < 18)) break mul0;
      if ((typeof field14 !== "number" || field14 - field14 !== 0)) break rule4;
      cost1 *= field14;
    }
    mul1: {
      if (field3 === undefined) break rule4;
      if (!listHas(field3, "premium")) break mul1;
      cost1 *= 2;
    }
    if (cost1 - cost1 !== 0 || cost1 < 0) break rule4;
    return { allowed: true, policyId: "model_inference", cost: roundTo(cost1, 2, "ceil") };
  }
  rule5: {
    if ((typeof field12 !== "number" || field12 - field12 !== 0) || !(field12 > 0) || !(field2 === "read" || field2 === "download" || field2 === "execute" || field2 === "derive") || (field2 === "derive") || !(field7 === "content" || field7 === "code" || field7 === "data")) break rule5;
    let cost2 = 1;
    mul2: {
      if (!(field7 === "content" || field7 === "code" || field7 === "data" || field7 === "model")) break rule5;
      if (field7 !== "data" || field2 !== "download") break mul2;
      cost2 *= 10;
    }
    mul3: {
      or2: {
        orElse2: {
          if (field3 === undefined) break rule5;
          if (!listHas(field3, "premium")) break orElse2;
          break or2;
        }
        if (field3 === undefined) break rule5;
        if (!(field3.length > 3)) break mul3;
      }
      cost2 *= 2;
    }
    mul4: {
      if (typeof field15 !== "string" || !(field15 === "DE" || field15 === "FR" || field15 === "NL")) break mul4;
      not1: {
        if (typeof field16 !== "string") break not1;
        break mul4;
      }
      cost2 *= 1.1;
    }
    return { allowed: true, policyId: "token_access", cost: roundTo(cost2, 2, "ceil") };
  }
  rule6: {
    or3: {
      orElse3: {
        if (!(field0 === "free" || field0 === "pro" || field0 === "enterprise")) break rule6;
        if (field0 !== "free") break orElse3;
        break or3;
      }
      if ((typeof field12 !== "number" || field12 - field12 !== 0) || !(field12 <= 0)) break rule6;
    }
    return { allowed: false, policyId: "paywall", reason: "upgrade_required", redirect: "/pricing" };
  }
  return defaultDeny();
}
/** Price a set of assets: best bundles, then tax. Never throws: a quote that cannot be given is a result with `error`. */
function quote(assetIds, request) {
  return quoter(assetIds, request);
}
export { decide, quote, policyInfo };
