// The login page behind test/fixtures/sandbox/mockups/login.png, in the three mockup targets. The PNG is
// rendered from LOGIN_PAGE_HTML (`node out/test/support/sandbox/renderMockup.js`), so the simulator's "reading"
// of that mockup is faithful; for any other image it is the same page.

/** A self-contained HTML5 login page, as the mockup prompt asks for (no scripts, no external resources). */
export const LOGIN_PAGE_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Sign in · Lunar Shop</title>
  <style>
    :root {
      --bg: #0b1030;
      --card: #ffffff;
      --ink: #1e293b;
      --muted: #64748b;
      --accent: #4f46e5;
      --line: #cbd5e1;
    }
    * { box-sizing: border-box; }
    body {
      margin: 0;
      min-height: 100vh;
      display: grid;
      place-items: center;
      background: var(--bg);
      font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
      color: var(--ink);
    }
    main {
      width: min(360px, 92vw);
      padding: 28px;
      border-radius: 14px;
      background: var(--card);
      box-shadow: 0 12px 32px rgba(0, 0, 0, 0.35);
    }
    h1 { margin: 0 0 4px; font-size: 22px; }
    p { margin: 0 0 20px; color: var(--muted); font-size: 14px; }
    label { display: block; margin-bottom: 6px; font-size: 13px; font-weight: 600; }
    input {
      width: 100%;
      margin-bottom: 14px;
      padding: 10px 12px;
      border: 1px solid var(--line);
      border-radius: 8px;
      font: inherit;
    }
    button {
      width: 100%;
      padding: 11px;
      border: 0;
      border-radius: 8px;
      background: var(--accent);
      color: #ffffff;
      font: inherit;
      font-weight: 600;
    }
  </style>
</head>
<body>
  <main>
    <h1>Welcome back</h1>
    <p>Sign in to Lunar Shop</p>
    <form>
      <label for="email">Email</label>
      <input id="email" type="email" placeholder="you@example.com">
      <label for="password">Password</label>
      <input id="password" type="password" placeholder="••••••••">
      <button type="submit">Sign in</button>
    </form>
  </main>
</body>
</html>
`;

export const LOGIN_PAGE_REACT = `export default function SignIn() {
  return (
    <div className="grid min-h-screen place-items-center bg-[#0b1030] font-sans text-slate-800">
      <main className="w-[360px] max-w-[92vw] rounded-[14px] bg-white p-7 shadow-2xl">
        <h1 className="mb-1 text-[22px] font-bold">Welcome back</h1>
        <p className="mb-5 text-sm text-slate-500">Sign in to Lunar Shop</p>
        <form>
          <label htmlFor="email" className="mb-1.5 block text-[13px] font-semibold">Email</label>
          <input id="email" type="email" placeholder="you@example.com" className="mb-3.5 w-full rounded-lg border border-slate-300 px-3 py-2.5" />
          <label htmlFor="password" className="mb-1.5 block text-[13px] font-semibold">Password</label>
          <input id="password" type="password" placeholder="••••••••" className="mb-3.5 w-full rounded-lg border border-slate-300 px-3 py-2.5" />
          <button type="submit" className="w-full rounded-lg bg-indigo-600 py-2.5 font-semibold text-white">Sign in</button>
        </form>
      </main>
    </div>
  );
}
`;

export const LOGIN_PAGE_VUE = `<script setup lang="ts">
const fields = [
  { id: 'email', label: 'Email', type: 'email', placeholder: 'you@example.com' },
  { id: 'password', label: 'Password', type: 'password', placeholder: '••••••••' },
];
</script>

<template>
  <div class="page">
    <main class="card">
      <h1>Welcome back</h1>
      <p>Sign in to Lunar Shop</p>
      <form>
        <template v-for="field in fields" :key="field.id">
          <label :for="field.id">{{ field.label }}</label>
          <input :id="field.id" :type="field.type" :placeholder="field.placeholder" />
        </template>
        <button type="submit">Sign in</button>
      </form>
    </main>
  </div>
</template>

<style scoped>
.page { min-height: 100vh; display: grid; place-items: center; background: #0b1030; font-family: system-ui, sans-serif; }
.card { width: min(360px, 92vw); padding: 28px; border-radius: 14px; background: #ffffff; color: #1e293b; }
h1 { margin: 0 0 4px; font-size: 22px; }
p { margin: 0 0 20px; color: #64748b; font-size: 14px; }
label { display: block; margin-bottom: 6px; font-size: 13px; font-weight: 600; }
input { width: 100%; margin-bottom: 14px; padding: 10px 12px; border: 1px solid #cbd5e1; border-radius: 8px; }
button { width: 100%; padding: 11px; border: 0; border-radius: 8px; background: #4f46e5; color: #ffffff; font-weight: 600; }
</style>
`;
