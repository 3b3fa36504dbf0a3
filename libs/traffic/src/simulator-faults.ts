/** Adds a psp-sim fault (`POST /admin/faults`, apps/psp-sim/API.md); returns its id for `removeSimulatorFault`. */
export async function addSimulatorFault(
  simUrl: string,
  fault: Readonly<Record<string, unknown>>,
): Promise<string> {
  const response = await fetch(`${simUrl}/admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (!response.ok)
    throw new Error(`POST /admin/faults answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

export async function removeSimulatorFault(simUrl: string, id: string): Promise<void> {
  const response = await fetch(`${simUrl}/admin/faults/${id}`, { method: 'DELETE' });
  if (!response.ok) throw new Error(`DELETE /admin/faults/${id} answered ${response.status}`);
}
