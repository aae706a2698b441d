// Variant `fetch`: what the kit's send() does if it calls fetch itself instead of ky (same options,
// no Request clone, no AbortSignal.any, no body tee).
export default (url, { method, headers, body, signal, redirect }) => fetch(url, { method, headers, body, signal, redirect });
