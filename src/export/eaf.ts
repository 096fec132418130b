/**
 * Segments as an ELAN Annotation Format 3.0 document (.eaf), valid against EAFv3.0.xsd, so
 * researchers can open Longview's timeline in ELAN and correct it. Layout, in the schema's order:
 * a HEADER linking the video, a TIME_ORDER of millisecond slots, the "Longview activity" tier
 * (one time-aligned annotation per segment, the label as its value), a "Longview confidence"
 * child tier holding each segment's confidence, their linguistic types, and the four standard
 * CONSTRAINTs ELAN writes into every document. Every text and attribute goes through the XML
 * escaping in xml-escape.ts: labels are untrusted.
 */
import type { ResultDocument } from '../shared/result-document.js';
import { fileUrlFromPath, relativeFileUrl } from './file-url.js';
import { cueSpans } from './timestamps.js';
import { xmlAttribute, xmlText } from './xml-escape.js';

export const ACTIVITY_TIER = 'Longview activity';
export const CONFIDENCE_TIER = 'Longview confidence';
const ACTIVITY_TYPE = 'activity';
const CONFIDENCE_TYPE = 'confidence';

/** ELAN's fixed constraint stereotypes with the descriptions it writes for them. */
const CONSTRAINTS: readonly (readonly [stereotype: string, description: string])[] = [
  ['Time_Subdivision', "Time subdivision of parent annotation's time interval, no time gaps allowed within this interval"],
  ['Symbolic_Subdivision', 'Symbolic subdivision of a parent annotation. Annotations refering to the same parent are ordered'],
  ['Symbolic_Association', '1-1 association with a parent annotation'],
  ['Included_In', "Time alignable annotations within the parent annotation's time interval, gaps are allowed"],
];

/** MIME types ELAN knows by container extension; anything else is announced as generic video. */
const MIME_TYPES: Readonly<Record<string, string>> = {
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  mov: 'video/quicktime',
  mkv: 'video/x-matroska',
  webm: 'video/webm',
  avi: 'video/x-msvideo',
  mpg: 'video/mpeg',
  mpeg: 'video/mpeg',
  ogv: 'video/ogg',
  wmv: 'video/x-ms-wmv',
};

export function toEaf(document: ResultDocument): string {
  const cues = cueSpans(document.segments);
  // Slots ts1, ts2 bound segment 1, ts3, ts4 segment 2, …; annotations a1..aN are the segments
  // and aN+1..a2N their confidences, so ids never depend on label text.
  const slots = cues.flatMap((cue, position) => [
    `        <TIME_SLOT TIME_SLOT_ID="ts${2 * position + 1}" TIME_VALUE="${cue.startMilliseconds}"/>`,
    `        <TIME_SLOT TIME_SLOT_ID="ts${2 * position + 2}" TIME_VALUE="${cue.endMilliseconds}"/>`,
  ]);
  const activities = cues.flatMap((cue, position) => [
    '        <ANNOTATION>',
    `            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a${position + 1}" TIME_SLOT_REF1="ts${2 * position + 1}" TIME_SLOT_REF2="ts${2 * position + 2}">`,
    `                <ANNOTATION_VALUE>${xmlText(cue.segment.label)}</ANNOTATION_VALUE>`,
    '            </ALIGNABLE_ANNOTATION>',
    '        </ANNOTATION>',
  ]);
  const confidences = cues.flatMap((cue, position) => [
    '        <ANNOTATION>',
    `            <REF_ANNOTATION ANNOTATION_ID="a${cues.length + position + 1}" ANNOTATION_REF="a${position + 1}">`,
    `                <ANNOTATION_VALUE>${cue.segment.confidence.toFixed(3)}</ANNOTATION_VALUE>`,
    '            </REF_ANNOTATION>',
    '        </ANNOTATION>',
  ]);
  const videoPath = document.video.path;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<ANNOTATION_DOCUMENT AUTHOR="${xmlAttribute(`Longview ${document.app.version}`)}" DATE="${xmlAttribute(document.createdAt)}" FORMAT="3.0" VERSION="3.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://www.mpi.nl/tools/elan/EAFv3.0.xsd">`,
    '    <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">',
    // The relative URL assumes the .eaf sits beside the video; ELAN tries it only when the absolute one fails.
    `        <MEDIA_DESCRIPTOR MEDIA_URL="${xmlAttribute(fileUrlFromPath(videoPath))}" MIME_TYPE="${mimeType(videoPath)}" RELATIVE_MEDIA_URL="${xmlAttribute(relativeFileUrl(videoPath))}"/>`,
    `        <PROPERTY NAME="lastUsedAnnotationId">${2 * cues.length}</PROPERTY>`,
    '    </HEADER>',
    ...wrap('    <TIME_ORDER>', slots, '    </TIME_ORDER>'),
    ...wrap(`    <TIER LINGUISTIC_TYPE_REF="${ACTIVITY_TYPE}" TIER_ID="${ACTIVITY_TIER}">`, activities, '    </TIER>'),
    ...wrap(`    <TIER LINGUISTIC_TYPE_REF="${CONFIDENCE_TYPE}" PARENT_REF="${ACTIVITY_TIER}" TIER_ID="${CONFIDENCE_TIER}">`, confidences, '    </TIER>'),
    `    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="${ACTIVITY_TYPE}" TIME_ALIGNABLE="true"/>`,
    `    <LINGUISTIC_TYPE CONSTRAINTS="Symbolic_Association" GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="${CONFIDENCE_TYPE}" TIME_ALIGNABLE="false"/>`,
    ...CONSTRAINTS.map(([stereotype, description]) => `    <CONSTRAINT DESCRIPTION="${xmlAttribute(description)}" STEREOTYPE="${stereotype}"/>`),
    '</ANNOTATION_DOCUMENT>',
    '',
  ].join('\n');
}

/** An element around its child lines, self-closed when there are none. */
function wrap(open: string, children: readonly string[], close: string): string[] {
  return children.length > 0 ? [open, ...children, close] : [open.replace(/>$/, '/>')];
}

function mimeType(path: string): string {
  const extension = /\.([^./\\]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  return MIME_TYPES[extension] ?? 'video/*';
}
