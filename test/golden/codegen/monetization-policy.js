import { hasOwn, isRecord, roundTo, hourOf, minuteOf, weekdayOf, listOf, listMask, listHas, REQUEST_NOT_OBJECT, invalidRequest, unreadableRequest, defaultDeny, requestErrors, createQuoter } from "monetize:runtime";
const policyInfo = Object.freeze({ version: "1.0", currency: "USD", ruleIds: Object.freeze(["enterprise_unlimited","dynamic_token_pricing","free_tier_paywall"]), hash: "35aae35550adea9e49d89a8d45417723ba3d7fd098cc3c7b60c0191ef14bbb83", generator: "monetize 0.1.0" });
const quoter = createQuoter(JSON.parse("{\"currency\":\"USD\",\"exponent\":2,\"registry\":false,\"assets\":[],\"defaultMinor\":100,\"bundles\":[{\"id\":\"ai_starter_kit\",\"assets\":[\"model:llm-base\",\"dataset:training-corpus\"],\"minor\":160,\"saving\":40,\"parts\":[[null,160]]},{\"id\":\"enterprise_data_suite\",\"assets\":[\"dataset:financial\",\"dataset:market\",\"api:analytics\"],\"minor\":210,\"saving\":90,\"parts\":[[null,210]]}],\"tax\":{\"inclusive\":false,\"defaultCode\":\"digital_goods\",\"rules\":[{\"countries\":[\"AT\",\"BE\",\"BG\",\"CY\",\"CZ\",\"DE\",\"DK\",\"EE\",\"ES\",\"FI\",\"FR\",\"GR\",\"HR\",\"HU\",\"IE\",\"IT\",\"LT\",\"LU\",\"LV\",\"MT\",\"NL\",\"PL\",\"PT\",\"RO\",\"SE\",\"SI\",\"SK\"],\"code\":\"digital_services_eu\",\"rate\":null,\"reverseCharge\":false}]},\"vat\":{\"AT\":[1,5],\"BE\":[21,100],\"BG\":[1,5],\"CY\":[19,100],\"CZ\":[21,100],\"DE\":[19,100],\"DK\":[1,4],\"EE\":[6,25],\"ES\":[21,100],\"FI\":[51,200],\"FR\":[1,5],\"GR\":[6,25],\"HR\":[1,4],\"HU\":[27,100],\"IE\":[23,100],\"IT\":[11,50],\"LT\":[21,100],\"LU\":[17,100],\"LV\":[21,100],\"MT\":[9,50],\"NL\":[21,100],\"PL\":[23,100],\"PT\":[23,100],\"RO\":[21,100],\"SE\":[1,4],\"SI\":[11,50],\"SK\":[23,100]},\"vatRatesAsOf\":\"2025-08-01\",\"countries\":\"ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW\"}"));
const ACTIONS = new Set(["read","download","execute","derive"]);
const list0 = Object.freeze([]);
const list1 = Object.freeze(["premium"]);
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
  const inlineRaw = hasOwn(request, "asset") ? request.asset : undefined;
  const inline = isRecord(inlineRaw) ? inlineRaw : undefined;
  const field0 = hasOwn(ctx, "tier") ? ctx["tier"] : undefined;
  const field1 = hasOwn(ctx, "tokenBalance") ? ctx["tokenBalance"] : undefined;
  const field2 = inline !== undefined && hasOwn(inline, "type") ? inline["type"] : undefined;
  const field3 = listMask(inline !== undefined && hasOwn(inline, "tags") ? inline["tags"] : list0, "string", undefined, list1);
  rule0: {
    if (field0 !== "enterprise") break rule0;
    return { allowed: true, policyId: "enterprise_unlimited", cost: 0 };
  }
  rule1: {
    if ((typeof field1 !== "number" || field1 - field1 !== 0) || !(field1 > 0)) break rule1;
    let cost0 = 1;
    mul0: {
      if (!(field2 === "content" || field2 === "code" || field2 === "data" || field2 === "model")) break rule1;
      if (field2 !== "model") break mul0;
      cost0 *= 5;
    }
    mul1: {
      if (field3 < 0) break rule1;
      if ((field3 & 1) === 0) break mul1;
      cost0 *= 2;
    }
    return { allowed: true, policyId: "dynamic_token_pricing", cost: cost0 + 0 };
  }
  rule2: {
    if (field0 !== "free") break rule2;
    return { allowed: false, policyId: "free_tier_paywall", reason: "upgrade_required", redirect: "/pricing" };
  }
  return defaultDeny();
}
/** Price a set of assets: best bundles, then tax. Never throws: a quote that cannot be given is a result with `error`. */
function quote(assetIds, request) {
  return quoter(assetIds, request);
}
export { decide, quote, policyInfo };
