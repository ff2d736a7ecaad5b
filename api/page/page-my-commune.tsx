import { pageUrl } from './page-request.ts';
import type { PageModel } from './page-model.ts';
import { Choices } from './page-choices.tsx';

/**
 * "Ma commune": an official names their commune once and sees what towns of the same size did in
 * their département or région. Kept in the URL (`like`); page.js may also keep it on the device, but
 * only once the official ticks the box saying so.
 */
export function MyCommune({ model }: { model: PageModel }) {
  const { text, given, language, like, communeChoices } = model;
  return (
    <fieldset class="my-commune">
      <legend>{text.myCommune}</legend>
      {like ? (
        <>
          <input type="hidden" name="like" value={like.commune.code} form="search" />
          {given.likeArea ? (
            <input type="hidden" name="likeArea" value={given.likeArea} form="search" />
          ) : null}
          <p class="chosen">
            {text.likeTowns} <strong>{like.commune.name}</strong>
            {like.commune.sizeBracket ? ` (${text.sizes[like.commune.sizeBracket]})` : ''}, {text.likeIn}{' '}
            {like.areaName}{' '}
            <a
              href={pageUrl(given, language, { like: undefined, likeArea: undefined })}
              aria-label={`${text.remove} : ${text.myCommuneUse}`}
            >
              {text.remove}
            </a>
          </p>
          <p class="like-area">
            {like.areaLevel === 'departement' ? (
              <a href={pageUrl(given, language, { likeArea: 'region' })}>→ {text.likeRegion}</a>
            ) : (
              <a href={pageUrl(given, language, { likeArea: undefined })}>→ {text.likeDepartement}</a>
            )}
          </p>
        </>
      ) : (
        <div class="combo" data-combobox="commune">
          <label for="commune">{text.myCommuneHint}</label>
          <input
            id="commune"
            name="commune"
            type="text"
            form="search"
            autocomplete="off"
            value={communeChoices?.typed ?? ''}
          />
        </div>
      )}
      {communeChoices ? <Choices model={model} choices={communeChoices.candidates} name="like" /> : null}
      <p class="remember" hidden data-remember>
        <label>
          <input type="checkbox" id="remember" /> {text.myCommuneRemember}
        </label>
      </p>
    </fieldset>
  );
}
