// Calling the backend from the Next.js server (a page, a server action) with this request's token.
import { backendTokenFor } from "@authbridge/better-auth";
import { headers } from "next/headers";
import { auth } from "./auth";

export async function backendFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const issued = await backendTokenFor(auth, await headers());
  if (!issued) throw new Error("not signed in");
  const sent = new Headers(init.headers);
  sent.set("authorization", `Bearer ${issued.token}`);
  return fetch(new URL(path, process.env.BACKEND_URL), { ...init, headers: sent });
}
