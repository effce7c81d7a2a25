-- Undoes 0007_price_book: the price book and all its versions.
DROP TABLE price_book;
