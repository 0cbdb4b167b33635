/**
 * The demo workspace's story, written for Parley: Northwind Mobile, a regional telecom, during a week when a mast
 * fault takes out service in one town — and its rival Brightwave has a billing mess of its own. Each step is a
 * message a customer sends on one of the demo channels; `replyTo` names an earlier step of the same customer.
 */
export type DemoChannelKey = 'x' | 'bluesky' | 'email' | 'phone' | 'webform' | 'listening';

export interface DemoStep {
  key: string;
  channel: DemoChannelKey;
  author: { externalId: string; handle?: string; displayName: string; followerCount?: number; platform?: string };
  text: string;
  replyTo?: string;
  isPublic?: boolean;
}

export const demoChannels: Record<DemoChannelKey, { kind: 'x' | 'bluesky' | 'email' | 'phone' | 'webform'; name: string; owned: boolean }> = {
  x: { kind: 'x', name: '@NorthwindCares on X', owned: true },
  bluesky: { kind: 'bluesky', name: 'northwind.bsky.social', owned: true },
  email: { kind: 'email', name: 'care@northwind.example', owned: true },
  phone: { kind: 'phone', name: 'Care line +44 20 7946 0000', owned: true },
  webform: { kind: 'webform', name: 'Contact form', owned: true },
  listening: { kind: 'x', name: 'Listening: Brightwave & Northwind mentions', owned: false },
};

const priya = { externalId: '1102938475610', handle: 'priya_cycles', displayName: 'Priya Raman', followerCount: 412 };
const tom = { externalId: 'tom.beckett@example.net', displayName: 'Tom Beckett' };
const edith = { externalId: '+441632960123', displayName: 'Edith Marlow' };
const dj = { externalId: '88712345', handle: 'DJ_Kestrel', displayName: 'DJ Kestrel 🎧', followerCount: 1_480_000 };
const sam = { externalId: 'did:plc:7sam3bluewren', handle: 'samwren.bsky.social', displayName: 'Sam Wren', followerCount: 230 };
const lena = { externalId: 'lena.okafor@example.org', displayName: 'Lena Okafor' };
const rival = { externalId: '55501234', handle: 'gus_on_trains', displayName: 'Gus', followerCount: 980 };
const farid = { externalId: '77012345', handle: 'farid_builds', displayName: 'Farid N.', followerCount: 150 };

export const demoScenario: DemoStep[] = [
  { key: 'priya-1', channel: 'x', author: priya, text: '@NorthwindCares no signal at all in Harrowgate since yesterday morning. Is there an outage? I work from home and this is a problem.' },
  { key: 'edith-1', channel: 'phone', author: edith, isPublic: false, text: "Voicemail: Hello, this is Edith Marlow. My phone has had no service for three days and I can't call my pharmacy. Could somebody please ring me back on this number. Thank you." },
  { key: 'tom-1', channel: 'email', author: tom, isPublic: false, text: 'Subject: Charged twice for October\n\nHi, my October bill shows the monthly plan twice (£32 each). Please refund the duplicate charge. Account ending 4471.' },
  { key: 'dj-1', channel: 'x', author: dj, text: '@NorthwindCares three dropped calls during one interview today. Come on.' },
  { key: 'sam-1', channel: 'bluesky', author: sam, text: 'Shout-out to Northwind support: swapped my broken SIM in ten minutes at the Kingsbridge store. Great service!' },
  { key: 'rival-1', channel: 'listening', author: rival, text: 'Brightwave charged me a cancellation fee after they moved my contract without asking. Worst billing I have ever seen. Thinking of switching.' },
  { key: 'priya-2', channel: 'x', author: priya, replyTo: 'priya-1', text: "@NorthwindCares still nothing. Second day without service and no update anywhere. I'm paying for this." },
  { key: 'lena-1', channel: 'webform', author: lena, isPublic: false, text: 'How do I move my plan to my new address? I am moving on the 14th and want the router working on day one.' },
  { key: 'farid-1', channel: 'listening', author: farid, text: 'Does anyone know if Northwind covers the Fenmoor valley? Brightwave has zero bars there.' },
  { key: 'edith-2', channel: 'phone', author: edith, isPublic: false, text: "Voicemail: It's Edith Marlow again. Still no service. I'm on my own and I worry about emergencies. Please call back." },
  { key: 'tom-2', channel: 'email', author: tom, isPublic: false, replyTo: 'tom-1', text: 'Subject: Re: Charged twice for October\n\nFollowing up: no answer after a week. If this is not refunded I will cancel and go to the ombudsman.' },
  { key: 'dj-2', channel: 'x', author: dj, replyTo: 'dj-1', text: '@NorthwindCares sorted now, the engineer fixed the mast. Thanks for the quick help.' },
  { key: 'sam-2', channel: 'bluesky', author: sam, text: 'Is the Northwind app down? Cannot log in to pay my bill, password reset email never arrives.' },
  { key: 'lena-2', channel: 'webform', author: lena, isPublic: false, text: 'Also: can I keep my landline number when I move? Thanks!' },
];
